import { redshiftRoleSpec, sourceReadPolicy } from '../../../../functions/lib/steps/rolePolicy';
import { testSettings } from '../../helpers';

describe('sourceReadPolicy', () => {
  it('lets Redshift read and list only the configured source prefixes', () => {
    expect(sourceReadPolicy(testSettings())).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSourceObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: ['arn:aws:s3:::udacity-dend/log_data*', 'arn:aws:s3:::udacity-dend/song_data*'],
        },
        {
          Sid: 'ListSourcePrefixes1',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::udacity-dend',
          Condition: { StringLike: { 's3:prefix': ['log_data*', 'song_data*'] } },
        },
      ],
    });
  });

  it('adds the JSONPaths file, and one list statement per bucket', () => {
    const settings = testSettings({
      DWH_LOG_DATA: 's3://sparkify-logs/events/2018',
      DWH_SONG_DATA: 's3://sparkify-songs/song_data',
      DWH_LOG_JSONPATH: 's3://sparkify-logs/log_json_path.json',
    });

    expect(sourceReadPolicy(settings)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSourceObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            'arn:aws:s3:::sparkify-logs/events/2018*',
            'arn:aws:s3:::sparkify-songs/song_data*',
            'arn:aws:s3:::sparkify-logs/log_json_path.json*',
          ],
        },
        {
          Sid: 'ListSourcePrefixes1',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::sparkify-logs',
          Condition: { StringLike: { 's3:prefix': ['events/2018*', 'log_json_path.json*'] } },
        },
        {
          Sid: 'ListSourcePrefixes2',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::sparkify-songs',
          Condition: { StringLike: { 's3:prefix': ['song_data*'] } },
        },
      ],
    });
  });

  it('uses the partition of the role ARN', () => {
    const settings = testSettings({ DWH_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/dwh' });

    expect(JSON.stringify(sourceReadPolicy(settings))).not.toContain('arn:aws:');
    expect(sourceReadPolicy(settings)).toMatchObject({ Statement: [{ Resource: ['arn:aws-cn:s3:::udacity-dend/log_data*', 'arn:aws-cn:s3:::udacity-dend/song_data*'] }, {}] });
  });
});

describe('redshiftRoleSpec', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/sparkify-dwh-s3-read', 'sparkify-dwh-s3-read', '/'],
    ['arn:aws:iam::123456789012:role/service-role/data/sparkify', 'sparkify', '/service-role/data/'],
  ])('names the role and its path after %s', (roleArn, name, path) => {
    const settings = testSettings({ DWH_ROLE_ARN: roleArn });

    expect(redshiftRoleSpec(settings)).toEqual({ name, path, policyName: 'sparkify-dwh-read-sources', policy: sourceReadPolicy(settings) });
  });
});
