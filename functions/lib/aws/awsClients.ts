// The one place that constructs AWS SDK clients. Region and credentials come from the Lambda environment.
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  redshift: RedshiftClient;
  redshiftData: RedshiftDataClient;
  redshiftServerless: RedshiftServerlessClient;
  iam: IAMClient;
  ec2: EC2Client;
  s3: S3Client;
}

/** Builds the SDK clients the adapters use (called once per cold start). */
export function createAwsClients(): AwsClients {
  return {
    redshift: new RedshiftClient({}),
    redshiftData: new RedshiftDataClient({}),
    redshiftServerless: new RedshiftServerlessClient({}),
    iam: new IAMClient({}),
    ec2: new EC2Client({}),
    s3: new S3Client({}),
  };
}
