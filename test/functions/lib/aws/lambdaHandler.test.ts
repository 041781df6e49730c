import '../../awsTestEnv';
import type { StepDeps } from '../../../../functions/lib/ports/stepDeps';
import { SettingsError } from '../../../../functions/lib/contracts/errors';
import { lambdaHandler } from '../../../../functions/lib/aws/lambdaHandler';
import * as settingsModule from '../../../../functions/lib/contracts/settings';
import { CLUSTER_ENV, lambdaContext, setEnv } from '../../helpers';

afterEach(() => jest.restoreAllMocks());

describe('lambdaHandler', () => {
  it.each([
    ['DWH_ROLE_ARN is missing', {}, 'Invalid settings: DWH_ROLE_ARN: is required'],
    ['DWH_NODE_COUNT is not a number', { ...CLUSTER_ENV, DWH_NODE_COUNT: 'two' }, 'DWH_NODE_COUNT'],
    [
      'DWH_DB_PORT is outside what a Serverless workgroup accepts',
      { ...CLUSTER_ENV, DWH_REDSHIFT: 'serverless', DWH_DB_PORT: '5500' },
      'DWH_DB_PORT: 5500 is not a port a Serverless workgroup accepts: use 5431-5455 or 8191-8215',
    ],
  ])('fails the first invocation with a SettingsError naming the variable when %s', async (_, env, message) => {
    const restore = setEnv({ DWH_ROLE_ARN: undefined, DWH_NODE_COUNT: undefined, DWH_REDSHIFT: undefined, DWH_DB_PORT: undefined, ...env });
    const step = jest.fn(async () => 'done');

    try {
      const attempt = lambdaHandler(step)({}, lambdaContext());

      await expect(attempt).rejects.toThrow(SettingsError);
      await expect(attempt).rejects.toThrow(message);
      expect(step).not.toHaveBeenCalled();
    } finally {
      restore();
    }
  });

  it('builds the deps once per execution environment and gives each invocation its own time left', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_CLUSTER_IDENTIFIER: 'sparkify-once' });
    const loadSettings = jest.spyOn(settingsModule, 'loadSettings');
    const seen: { identifier: string; remainingMs: number }[] = [];
    const step = async (event: { n: number }, deps: StepDeps) => {
      seen.push({ identifier: deps.settings.clusterIdentifier, remainingMs: deps.remainingMs() });
      return event.n * 2;
    };
    const handler = lambdaHandler(step);

    try {
      const results = [await handler({ n: 1 }, lambdaContext(50_000)), await handler({ n: 2 }, lambdaContext(20_000))];

      expect(results).toEqual([2, 4]);
      expect(loadSettings).toHaveBeenCalledTimes(1);
      expect(seen).toEqual([
        { identifier: 'sparkify-once', remainingMs: 50_000 },
        { identifier: 'sparkify-once', remainingMs: 20_000 },
      ]);
    } finally {
      restore();
    }
  });
});
