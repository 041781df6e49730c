import { isS3Uri, parseS3Uri } from '../../../../functions/lib/contracts/s3Uri';

describe('parseS3Uri', () => {
  it('splits a URI into bucket and key prefix', () => {
    expect(parseS3Uri('s3://udacity-dend/log_data/2018')).toEqual({ bucket: 'udacity-dend', key: 'log_data/2018' });
    expect(parseS3Uri('s3://udacity-dend/')).toEqual({ bucket: 'udacity-dend', key: '' });
  });

  it.each([
    ['no slash after the bucket', 's3://udacity-dend'],
    ['a bucket name S3 does not allow', 's3://Udacity_Dend/log_data'],
    ['a space in the key', 's3://udacity-dend/log data'],
    ['another scheme', 'https://udacity-dend/log_data'],
  ])('refuses, unless loose, a URI with %s', (_, uri) => {
    expect(isS3Uri(uri)).toBe(false);
    expect(() => parseS3Uri(uri)).toThrow(new Error(`Not an S3 URI: ${uri}`));
  });

  it('reads, loose, any bucket text and key, with or without a slash after the bucket', () => {
    expect(parseS3Uri('s3://Udacity_Dend/log data', { loose: true })).toEqual({ bucket: 'Udacity_Dend', key: 'log data' });
    expect(parseS3Uri('s3://udacity-dend', { loose: true })).toEqual({ bucket: 'udacity-dend', key: '' });
    expect(() => parseS3Uri('https://udacity-dend/x', { loose: true })).toThrow(new Error('Not an S3 URI: https://udacity-dend/x'));
  });

  it('takes a strict URI', () => {
    expect(isS3Uri('s3://udacity-dend/log_data')).toBe(true);
  });
});
