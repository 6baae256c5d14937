import { describe, expect, it } from 'vitest';
import {
  addHistogram,
  bucketBounds,
  bucketOf,
  bucketValue,
  emptyHistogram,
  histogramBuckets,
  histogramMaxMs,
  percentile,
} from './histogram.ts';

/** True nearest-rank percentile of sorted samples. */
const truePercentile = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;

const histogramOf = (samples: number[]) => {
  const histogram = emptyHistogram();
  for (const ms of samples) histogram[bucketOf(ms)]!++;
  return histogram;
};

/** A deterministic PRNG so failures reproduce. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const distributions: Record<string, (next: () => number) => number> = {
  uniform: (next) => 1 + next() * 199,
  exponential: (next) => -Math.log(1 - next()) * 20,
  logNormal: (next) => Math.exp(2 + 1.2 * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())),
  bimodal: (next) => (next() < 0.9 ? 2 + next() : 800 + next() * 400),
};

describe('histogram', () => {
  it('covers 0.1 ms to 60 s in 1.2× buckets plus underflow and overflow', () => {
    expect(histogramBuckets).toBe(75);
    expect(bucketOf(0.05)).toBe(0);
    expect(bucketOf(-1)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(0.1)).toBe(1);
    expect(bucketOf(histogramMaxMs * 2)).toBe(histogramBuckets - 1);
    for (let i = 1; i < histogramBuckets - 1; i++) {
      const [lower, upper] = bucketBounds(i);
      expect(upper / lower).toBeCloseTo(1.2, 10);
      expect(bucketOf(Math.sqrt(lower * upper))).toBe(i);
    }
    expect(bucketBounds(histogramBuckets - 2)[1]).toBeGreaterThanOrEqual(histogramMaxMs);
  });

  for (const [name, draw] of Object.entries(distributions)) {
    it(`puts p50/p95/p99 of a ${name} distribution in the true value's bucket`, () => {
      const next = random(42);
      const samples = Array.from({ length: 20_000 }, () => draw(next));
      const histogram = histogramOf(samples);
      const sorted = samples.toSorted((a, b) => a - b);
      for (const p of [50, 95, 99]) {
        const truth = truePercentile(sorted, p);
        const reported = percentile(histogram, p)!;
        expect(Math.abs(bucketOf(reported) - bucketOf(truth))).toBeLessThanOrEqual(1);
        expect(reported / truth).toBeGreaterThan(1 / 1.2);
        expect(reported / truth).toBeLessThan(1.2);
      }
    });
  }

  it('reports the geometric midpoint of the bucket', () => {
    const histogram = histogramOf([10]);
    expect(percentile(histogram, 50)).toBeCloseTo(bucketValue(bucketOf(10)), 3);
    expect(percentile(emptyHistogram(), 99)).toBeNull();
    expect(percentile(histogramOf([120_000]), 50)).toBeGreaterThanOrEqual(histogramMaxMs);
  });

  it('merges by adding counts: the merge equals the histogram of all samples', () => {
    const next = random(7);
    const a = Array.from({ length: 5_000 }, () => distributions.exponential!(next));
    const b = Array.from({ length: 3_000 }, () => distributions.bimodal!(next));
    const merged = histogramOf(a);
    addHistogram(merged, histogramOf(b));
    expect([...merged]).toEqual([...histogramOf([...a, ...b])]);
    for (const p of [50, 95, 99]) expect(percentile(merged, p)).toBe(percentile(histogramOf([...a, ...b]), p));
  });
});
