// The daily schedule's "previous" day, and the input fields only the pipeline writes.
import { resolveDays } from '../../../../functions/lib/contracts/days';

describe('resolveDays', () => {
  it.each([
    ['2018-11-06T03:00:00.000Z', '2018-11-05'],
    ['2018-11-01T00:00:00.000Z', '2018-10-31'],
    ['2019-01-01T23:59:59.999Z', '2018-12-31'],
  ])('makes "previous" the UTC day before a start at %s', (startTime, day) => {
    expect(resolveDays({ days: 'previous', reloadSongs: false }, startTime)).toEqual({ days: { from: day, to: day }, reloadSongs: false });
  });

  it('leaves any other input as it is', () => {
    const input = { days: { from: '2018-11-01', to: '2018-11-02' } };
    expect(resolveDays(input, '2018-11-06T03:00:00.000Z')).toBe(input);
  });

  it('refuses manifests in the input, and "previous" without a start time', () => {
    expect(() => resolveDays({ manifests: [] }, undefined)).toThrow('Invalid execution input: $.manifests: written by the pipeline (writeManifests), not given in the input');
    expect(() => resolveDays({ days: 'previous' }, undefined)).toThrow(`Invalid execution input: $.days: "previous" needs the execution's start time, got undefined`);
  });
});
