// The local run's settings: fixed sources in the data folder, and the start-time window from the environment.
import path from 'node:path';
import { SettingsError } from '../../functions/lib/contracts/errors';
import { localSettings } from '../../local/deps';

const SAMPLE = path.join(__dirname, '..', '..', 'data', 'sample');

describe('localSettings', () => {
  it('reads the data folder as the local bucket, with its JSONPaths file, and the default start-time window', () => {
    const settings = localSettings(SAMPLE, 'cluster', {});

    expect(settings.sources).toEqual({
      logData: 's3://sparkify-local/log_data',
      songData: 's3://sparkify-local/song_data',
      logJsonPath: 's3://sparkify-local/log_json_path.json',
    });
    expect(settings.startTimeWindow).toEqual({ min: '2000-01-01', max: '2099-12-31' });
  });

  it('takes the start-time window from the environment, and nothing else', () => {
    const settings = localSettings(SAMPLE, 'cluster', {
      DWH_START_TIME_MIN: '2018-11-01',
      DWH_START_TIME_MAX: '2018-11-30',
      DWH_LOG_DATA: 's3://elsewhere/log_data',
    });

    expect(settings.startTimeWindow).toEqual({ min: '2018-11-01', max: '2018-11-30' });
    expect(settings.sources.logData).toBe('s3://sparkify-local/log_data');
  });

  it('refuses an invalid window, naming the variable', () => {
    const load = () => localSettings(SAMPLE, 'cluster', { DWH_START_TIME_MAX: '30/11/2018' });

    expect(load).toThrow(SettingsError);
    expect(load).toThrow(
      new SettingsError('Invalid settings: DWH_START_TIME_MAX: must be a day like 2018-11-01 (YYYY-MM-DD, from the year 1 to 9999)'),
    );
  });
});
