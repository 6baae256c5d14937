import { describe, expect, it } from 'vitest';
import { bucketLabel, compactCount, formatAxisMs, layoutHistogram, niceCeil } from './histogram';

/** Bucket i of packages/metrics: [0.1·1.2^(i-1), 0.1·1.2^i) ms. */
const bucket = (index: number, count: number) => ({
  fromMs: 0.1 * 1.2 ** (index - 1),
  toMs: 0.1 * 1.2 ** index,
  count,
});
const size = { width: 500, height: 100 };

describe('layoutHistogram', () => {
  it('draws nothing for no buckets (or only empty ones)', () => {
    expect(layoutHistogram([], size)).toEqual({ bars: [], countMax: 1, xTicks: [], yTicks: [], total: 0 });
    expect(layoutHistogram([bucket(10, 0)], size).bars).toEqual([]);
  });

  it('gives contiguous log-scale buckets the same width, side by side, filling the width', () => {
    const { bars, total } = layoutHistogram([bucket(30, 5), bucket(31, 10), bucket(32, 20), bucket(33, 4)].reverse(), {
      width: 400,
      height: 100,
      // A wide span, so no padding: 20 buckets.
    });
    expect(total).toBe(39);
    // Sorted by time, whatever order they came in.
    expect(bars.map((bar) => bar.count)).toEqual([5, 10, 20, 4]);
    const width = bars[0]!.width;
    for (const bar of bars) expect(bar.width).toBeCloseTo(width, 6);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.x).toBeCloseTo(bars[i - 1]!.x + width, 6);
  });

  it('leaves a gap where no iteration fell, as wide as the buckets missing', () => {
    const { bars } = layoutHistogram([bucket(20, 3), bucket(21, 3), bucket(30, 3)], size);
    const width = bars[0]!.width;
    expect(bars[2]!.x - (bars[1]!.x + width)).toBeCloseTo(8 * width, 6);
    expect(bars[0]!.x).toBeCloseTo(0, 6);
    expect(bars[2]!.x + bars[2]!.width).toBeCloseTo(size.width, 6);
  });

  it('centres a lone bucket on an axis at least 10 buckets wide', () => {
    const { bars } = layoutHistogram([bucket(40, 7)], size);
    expect(bars).toHaveLength(1);
    expect(bars[0]!.width).toBeCloseTo(size.width / 10, 6);
    expect(bars[0]!.x + bars[0]!.width / 2).toBeCloseTo(size.width / 2, 6);
    expect(bars[0]!.height).toBeCloseTo((7 / 10) * size.height, 6);
  });

  it('scales counts to a round top, keeps small counts visible, and labels 0, half and the top', () => {
    const layout = layoutHistogram([bucket(30, 1), bucket(31, 1_340)], size);
    expect(layout.countMax).toBe(2000);
    expect(layout.bars[1]!.height).toBeCloseTo(67, 6);
    expect(layout.bars[0]!.height).toBe(1);
    expect(layout.yTicks).toEqual([
      { at: 0, label: '0' },
      { at: 50, label: '1k' },
      { at: 100, label: '2k' },
    ]);
    // A top of 1 has no whole half.
    expect(layoutHistogram([bucket(30, 1)], size).yTicks.map((tick) => tick.label)).toEqual(['0', '1']);
  });

  it('puts time ticks at round numbers on the log axis, at their place', () => {
    // 1.07 ms to 11.4 ms: buckets 14 … 26.
    const buckets = Array.from({ length: 13 }, (_, i) => bucket(14 + i, 1));
    const layout = layoutHistogram(buckets, size);
    expect(layout.xTicks.map((tick) => tick.label)).toEqual(['2 ms', '5 ms', '10 ms']);
    const lo = Math.log10(buckets[0]!.fromMs);
    const hi = Math.log10(buckets.at(-1)!.toMs);
    expect(layout.xTicks[0]!.at).toBeCloseTo(((Math.log10(2) - lo) / (hi - lo)) * size.width, 6);
  });

  it('keeps to decades when the range is wide', () => {
    const layout = layoutHistogram([bucket(1, 1), bucket(70, 1)], size);
    const labels = layout.xTicks.map((tick) => tick.label);
    expect(labels.length).toBeLessThanOrEqual(6);
    expect(labels).toEqual(['0.1 ms', '1 ms', '10 ms', '100 ms', '1 s', '10 s']);
  });

  it('draws the open-ended buckets one bucket wide', () => {
    const under = { fromMs: 0, toMs: 0.1, count: 2 };
    const over = { fromMs: 0.1 * 1.2 ** 73, toMs: null, count: 1 };
    const { bars } = layoutHistogram([over, under], size);
    expect(bars[0]!.fromMs).toBe(0);
    expect(bars[0]!.x).toBeCloseTo(0, 6);
    expect(bars[1]!.width).toBeCloseTo(bars[0]!.width, 6);
    expect(bars[1]!.x + bars[1]!.width).toBeCloseTo(size.width, 6);
    for (const bar of bars) expect(Number.isFinite(bar.x) && Number.isFinite(bar.width)).toBe(true);
  });
});

describe('niceCeil, labels', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 26, 99, 100, 101, 5000, 5001].map(niceCeil)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 50, 100, 100, 200, 5000, 10000,
    ]);
  });

  it('writes counts briefly', () => {
    expect([0, 5, 999, 1000, 2500, 10_000].map(compactCount)).toEqual(['0', '5', '999', '1k', '2.5k', '10k']);
  });

  it('writes times and bucket ranges briefly', () => {
    expect(formatAxisMs(0.5)).toBe('0.5 ms');
    expect(formatAxisMs(2000)).toBe('2 s');
    expect(formatAxisMs(1.2345)).toBe('1.23 ms');
    expect(bucketLabel({ fromMs: 1.2, toMs: 1.44 })).toBe('1.2–1.44 ms');
    expect(bucketLabel({ fromMs: 900, toMs: 1080 })).toBe('900 ms–1.08 s');
    expect(bucketLabel({ fromMs: 0, toMs: 0.1 })).toBe('< 0.1 ms');
    expect(bucketLabel({ fromMs: 60_000, toMs: null })).toBe('≥ 60 s');
  });
});
