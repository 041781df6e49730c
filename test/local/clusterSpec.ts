// A cluster as createCluster asks for it with the default settings, for the local cluster's tests.
import type { ClusterSpec } from '../../functions/lib/ports/cluster';

export const CLUSTER_SPEC: ClusterSpec = {
  identifier: 'sparkify-dwh',
  nodeType: 'ra3.large',
  nodeCount: 1,
  dbName: 'dev',
  dbUser: 'awsuser',
  port: 5439,
  roleArn: 'arn:aws:iam::000000000000:role/sparkify-dwh-s3-read',
  publiclyAccessible: false,
};
