import { Random } from '../../../local/generate/random';

/** The first `count` floats of a seed's sequence. */
const draw = (seed: string, count: number) => Array.from({ length: count }, ((rng) => () => rng.next())(new Random(seed)));

describe('Random', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw('seed', 20)).toEqual(draw('seed', 20));
  });

  it('gives a different sequence for another seed', () => {
    expect(draw('seed', 20)).not.toEqual(draw('seed2', 20));
  });

  it('draws floats in [0, 1)', () => {
    const values = draw('floats', 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('draws integers from min to max, both included', () => {
    const rng = new Random('ints');
    const seen = new Set(Array.from({ length: 1_000 }, () => rng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('never draws a key of zero weight', () => {
    const rng = new Random('weights');
    const seen = new Set(Array.from({ length: 1_000 }, () => rng.weighted({ a: 1, b: 0, c: 3 })));
    expect([...seen].sort()).toEqual(['a', 'c']);
  });

  it('draws characters only from the alphabet, as many as asked', () => {
    expect(new Random('chars').chars('XY', 12)).toMatch(/^[XY]{12}$/);
  });
});
