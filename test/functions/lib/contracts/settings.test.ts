import { SettingsError } from '../../../../functions/lib/contracts/errors';
import { applyOverrides, loadSettings, parseOverrides } from '../../../../functions/lib/contracts/settings';

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-dwh-s3-read';

describe('loadSettings', () => {
  it('fills every default from a minimal environment', () => {
    expect(loadSettings({ DWH_ROLE_ARN: ROLE })).toEqual({
      redshift: 'cluster',
      clusterIdentifier: 'sparkify-dwh',
      namespaceName: 'sparkify-dwh',
      workgroupName: 'sparkify-dwh',
      baseCapacity: 8,
      nodeType: 'ra3.large',
      nodeCount: 1,
      dbName: 'dev',
      dbUser: 'awsuser',
      port: 5439,
      sourceRegion: 'us-west-2',
      roleArn: ROLE,
      secretArn: undefined,
      sources: { logData: 's3://udacity-dend/log_data', songData: 's3://udacity-dend/song_data', logJsonPath: undefined },
      ingressCidrs: [],
      allowPublicIngress: false,
      publiclyAccessible: false,
      pauseAfterRun: false,
      startTimeWindow: { min: '2000-01-01', max: '2099-12-31' },
      logFileTemplate: 'log_data/{yyyy}/{mm}/{yyyy}-{mm}-{dd}-events.json',
      maxDays: 15,
      manifestLocation: undefined,
    });
  });

  it('reads every variable', () => {
    const settings = loadSettings({
      DWH_REDSHIFT: 'serverless',
      DWH_CLUSTER_IDENTIFIER: 'my-dwh',
      DWH_NAMESPACE_NAME: 'analytics-ns',
      DWH_WORKGROUP_NAME: 'analytics',
      DWH_BASE_CAPACITY: '32',
      DWH_NODE_TYPE: 'ra3.xlplus',
      DWH_NODE_COUNT: '4',
      DWH_DB_NAME: 'sparkify',
      DWH_DB_USER: 'loader',
      DWH_DB_PORT: '5440',
      DWH_SOURCE_REGION: 'eu-west-1',
      DWH_ROLE_ARN: ROLE,
      DWH_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!my-dwh-awsuser-AbCdEf',
      DWH_LOG_DATA: 's3://my-bucket/logs',
      DWH_SONG_DATA: 's3://my-bucket/songs',
      DWH_LOG_JSONPATH: 's3://my-bucket/paths.json',
      DWH_INGRESS_CIDRS: ' 203.0.113.7/32 , 198.51.100.0/24 ',
      DWH_ALLOW_PUBLIC_INGRESS: 'true',
      DWH_PUBLICLY_ACCESSIBLE: 'true',
      DWH_PAUSE_AFTER_RUN: 'true',
      DWH_START_TIME_MIN: '2018-11-01',
      DWH_START_TIME_MAX: ' 2018-11-30 ',
    });

    expect(settings).toMatchObject({
      redshift: 'serverless',
      namespaceName: 'analytics-ns',
      workgroupName: 'analytics',
      baseCapacity: 32,
      nodeCount: 4,
      port: 5440,
      sources: { logData: 's3://my-bucket/logs', songData: 's3://my-bucket/songs', logJsonPath: 's3://my-bucket/paths.json' },
      ingressCidrs: ['203.0.113.7/32', '198.51.100.0/24'],
      allowPublicIngress: true,
      publiclyAccessible: true,
      pauseAfterRun: true,
      startTimeWindow: { min: '2018-11-01', max: '2018-11-30' },
    });
  });

  it.each([
    [{ DWH_ROLE_ARN: undefined }, 'Invalid settings: DWH_ROLE_ARN: is required'],
    [{ DWH_ROLE_ARN: 'role' }, 'DWH_ROLE_ARN: must be an IAM role ARN like arn:aws:iam::123456789012:role/name'],
    [{ DWH_LOG_DATA: "s3://bucket/x'; drop table users; --" }, 'DWH_LOG_DATA: must be an S3 URI like s3://bucket/prefix'],
    [{ DWH_SONG_DATA: 'https://bucket/song_data' }, 'DWH_SONG_DATA: must be an S3 URI like s3://bucket/prefix'],
    [{ DWH_SOURCE_REGION: "us-west-2' --" }, 'DWH_SOURCE_REGION: must be an AWS region like us-west-2'],
    [{ DWH_CLUSTER_IDENTIFIER: 'Sparkify--DWH' }, 'DWH_CLUSTER_IDENTIFIER: must be 1-63 lower-case letters'],
    [{ DWH_NODE_COUNT: 'two' }, 'DWH_NODE_COUNT: '],
    [{ DWH_WORKGROUP_NAME: 'Analytics_WG' }, 'DWH_WORKGROUP_NAME: must be 3-64 lower-case letters, digits and hyphens'],
    [{ DWH_NAMESPACE_NAME: 'ns' }, 'DWH_NAMESPACE_NAME: must be 3-64 lower-case letters, digits and hyphens'],
    [{ DWH_PAUSE_AFTER_RUN: 'yes' }, 'DWH_PAUSE_AFTER_RUN: '],
    [{ DWH_BASE_CAPACITY: '12' }, 'DWH_BASE_CAPACITY: must be 4, or 8 to 512 in steps of 8 (RPUs)'],
    [{ DWH_BASE_CAPACITY: '520' }, 'DWH_BASE_CAPACITY: must be 4, or 8 to 512 in steps of 8 (RPUs)'],
    [{ DWH_BASE_CAPACITY: 'lots' }, 'DWH_BASE_CAPACITY: '],
    [{ DWH_DB_PORT: '5430' }, 'DWH_DB_PORT: 5430 is not a port a cluster of ra3 nodes accepts: use 5431-5455 or 8191-8215'],
    [{ DWH_DB_PORT: '8216', DWH_NODE_TYPE: 'rg.xlarge' }, 'DWH_DB_PORT: 8216 is not a port a cluster of rg nodes accepts: use 5431-5455 or 8191-8215'],
    [{ DWH_DB_PORT: '5456', DWH_REDSHIFT: 'serverless' }, 'DWH_DB_PORT: 5456 is not a port a Serverless workgroup accepts: use 5431-5455 or 8191-8215'],
    [{ DWH_DB_PORT: '1149', DWH_NODE_TYPE: 'dc2.large' }, 'DWH_DB_PORT: '],
    [{ DWH_INGRESS_CIDRS: '10.0.0.0/33' }, 'DWH_INGRESS_CIDRS: 10.0.0.0/33 is not an IPv4 CIDR; give a comma-separated list like 203.0.113.7/32'],
    [{ DWH_INGRESS_CIDRS: '0.0.0.0/0' }, 'DWH_INGRESS_CIDRS: holds 0.0.0.0/0, which opens the port to the whole internet'],
    [{ DWH_PUBLICLY_ACCESSIBLE: 'yes' }, 'DWH_PUBLICLY_ACCESSIBLE: '],
    ...['2018-11', '2018-02-30', '0000-12-31', "2018-11-01' or 1=1 --", '1541111130796'].map(
      (value): [Record<string, string>, string] => [
        { DWH_START_TIME_MIN: value },
        'Invalid settings: DWH_START_TIME_MIN: must be a day like 2018-11-01 (YYYY-MM-DD, from the year 1 to 9999)',
      ],
    ),
    [{ DWH_START_TIME_MAX: '2018-13-01' }, 'Invalid settings: DWH_START_TIME_MAX: must be a day like 2018-11-01 (YYYY-MM-DD, from the year 1 to 9999)'],
    [
      { DWH_START_TIME_MIN: '2018-11-02', DWH_START_TIME_MAX: '2018-11-01' },
      'Invalid settings: DWH_START_TIME_MAX: 2018-11-01 is before DWH_START_TIME_MIN (2018-11-02)',
    ],
  ] as [Record<string, string | undefined>, string][])('refuses %j, naming the setting', (env, message) => {
    const load = () => loadSettings({ DWH_ROLE_ARN: ROLE, ...env });

    expect(load).toThrow(SettingsError);
    expect(load).toThrow(message);
  });

  it.each([
    ['ra3.large', 'cluster', '5431'],
    ['ra3.xlplus', 'cluster', '5455'],
    ['ra3.4xlarge', 'cluster', '8191'],
    ['ra3.large', 'serverless', '8215'],
    ['dc2.large', 'cluster', '1150'],
    ['dc2.large', 'cluster', '65535'],
  ])('accepts a %s %s on port %s', (nodeType, redshift, port) => {
    expect(loadSettings({ DWH_ROLE_ARN: ROLE, DWH_NODE_TYPE: nodeType, DWH_REDSHIFT: redshift, DWH_DB_PORT: port }).port).toBe(Number(port));
  });

  it.each(['4', '8', '16', '512'])('accepts a base capacity of %s RPUs', (rpus) => {
    expect(loadSettings({ DWH_ROLE_ARN: ROLE, DWH_BASE_CAPACITY: rpus }).baseCapacity).toBe(Number(rpus));
  });

  it('takes the default namespace and workgroup when their variables are empty', () => {
    expect(loadSettings({ DWH_ROLE_ARN: ROLE, DWH_NAMESPACE_NAME: '', DWH_WORKGROUP_NAME: ' ' })).toMatchObject({
      namespaceName: 'sparkify-dwh',
      workgroupName: 'sparkify-dwh',
    });
  });

  it('allows 0.0.0.0/0 only when DWH_ALLOW_PUBLIC_INGRESS is true', () => {
    expect(loadSettings({ DWH_ROLE_ARN: ROLE, DWH_INGRESS_CIDRS: '0.0.0.0/0', DWH_ALLOW_PUBLIC_INGRESS: 'true' }).ingressCidrs).toEqual([
      '0.0.0.0/0',
    ]);
  });
});

describe('parseOverrides', () => {
  const settings = loadSettings({ DWH_ROLE_ARN: ROLE });

  it('accepts sources narrowed to a part of the configured prefixes, and applies them', () => {
    const overrides = parseOverrides({ sources: { logData: 's3://udacity-dend/log_data/2018/11' } }, settings);

    expect(applyOverrides(settings, overrides).sources).toEqual({
      logData: 's3://udacity-dend/log_data/2018/11',
      songData: 's3://udacity-dend/song_data',
      logJsonPath: undefined,
    });
  });

  it('treats a missing input as no overrides', () => {
    expect(parseOverrides(undefined, settings)).toEqual({});
  });

  it.each([
    [{ sources: { logData: 's3://other-bucket/log_data' } }, '$.sources.logData: s3://other-bucket/log_data is not within the configured s3://udacity-dend/log_data'],
    [{ sources: { logData: 'log_data' } }, '$.sources.logData: must be an S3 URI like s3://bucket/prefix'],
    [{ sources: { songs: 's3://udacity-dend/song_data' } }, 'Invalid execution input: $.sources: '],
    [{ cluster: 'other' }, 'Invalid execution input: $: Unrecognized key: "cluster"'],
    ['text', 'Invalid execution input: $: Invalid input: expected object, received string'],
  ])('refuses %j, naming the field', (input, message) => {
    const parse = () => parseOverrides(input, settings);

    expect(parse).toThrow(SettingsError);
    expect(parse).toThrow(message);
  });
});
