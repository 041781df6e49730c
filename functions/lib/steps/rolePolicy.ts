// The role Redshift assumes for COPY, and its inline policy: read only the configured source prefixes
// (not AmazonS3ReadOnlyAccess, which would read every bucket of the account).
import type { RoleSpec } from '../ports/cluster';
import { parseS3Uri, type S3Location } from '../contracts/s3Uri';
import { roleNameOf, type Settings } from '../contracts/settings';

export const SOURCE_READ_POLICY_NAME = 'sparkify-dwh-read-sources';

/** The IAM path inside a role ARN (`arn:aws:iam::123456789012:role/path/name` -> `/path/`). */
function rolePathOf(roleArn: string): string {
  const resource = roleArn.slice(roleArn.indexOf(':role/') + ':role/'.length);
  const name = roleNameOf(roleArn);
  return `/${resource.slice(0, resource.length - name.length)}`;
}

/** The S3 locations COPY reads: the event logs, the songs, the JSONPaths file if there is one, and the
 * pipeline's COPY manifests (day runs). */
function sourceLocations(settings: Settings): S3Location[] {
  const { logData, songData, logJsonPath } = settings.sources;
  const manifests = settings.manifestLocation ? [`${settings.manifestLocation}/`] : [];
  return [logData, songData, ...(logJsonPath ? [logJsonPath] : []), ...manifests].map((uri) => parseS3Uri(uri));
}

/** The inline policy: s3:GetObject under each source prefix, s3:ListBucket on each bucket for those prefixes only. */
export function sourceReadPolicy(settings: Settings): Record<string, unknown> {
  const partition = settings.roleArn.split(':')[1];
  const locations = sourceLocations(settings);
  const buckets = [...new Set(locations.map((location) => location.bucket))];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [...new Set(locations.map(({ bucket, key }) => `arn:${partition}:s3:::${bucket}/${key}*`))],
      },
      ...buckets.map((bucket, index) => ({
        Sid: `ListSourcePrefixes${index + 1}`,
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:${partition}:s3:::${bucket}`,
        Condition: {
          StringLike: {
            's3:prefix': [...new Set(locations.filter((location) => location.bucket === bucket).map(({ key }) => `${key}*`))],
          },
        },
      })),
    ],
  };
}

/** The role createCluster ensures: named and placed as in DWH_ROLE_ARN, with the source read policy. */
export function redshiftRoleSpec(settings: Settings): RoleSpec {
  return {
    name: roleNameOf(settings.roleArn),
    path: rolePathOf(settings.roleArn),
    policyName: SOURCE_READ_POLICY_NAME,
    policy: sourceReadPolicy(settings),
  };
}
