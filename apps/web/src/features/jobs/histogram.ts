/**
 * Lays out a job's wall-time histogram for an SVG bar chart. The API's buckets are log-scale (each 1.2× as wide as
 * the one before) and only those with a count are sent, so the x axis is logarithmic: every bucket gets the same
 * width, and the ranges no iteration fell in show as gaps.
 */
import type { JobHistogramBucket } from '@squirrelbin/schemas';

export interface HistogramBar {
  fromMs: number;
  /** Null for the open-ended last bucket. */
  toMs: number | null;
  count: number;
  x: number;
  width: number;
  /** From the baseline up; at least 1 for a bucket with a count, so none disappears beside a tall one. */
  height: number;
}

export interface HistogramTick {
  /** Position on its axis (x from the left, y from the baseline up). */
  at: number;
  label: string;
}

export interface HistogramLayout {
  bars: HistogramBar[];
  /** The count the top of the plot stands for: a round number at or above the tallest bar. */
  countMax: number;
  xTicks: HistogramTick[];
  yTicks: HistogramTick[];
  total: number;
}

/** The growth of one bucket over the one before (packages/metrics). */
const bucketGrowth = 1.2;
/** The x axis spans at least this many buckets, so one lone bucket is a bar and not the whole chart. */
const minSpanBuckets = 10;

/** Where a bucket sits on the log axis: the open bounds (0 below, null above) count as one bucket's width. */
function logBounds(bucket: JobHistogramBucket): [number, number] {
  const to = bucket.toMs ?? bucket.fromMs * bucketGrowth;
  const from = bucket.fromMs > 0 ? bucket.fromMs : to / bucketGrowth;
  return [Math.log10(from), Math.log10(to)];
}

/** The smallest of 1, 2, 5 × 10^k at or above `value` (1 for anything ≤ 1). */
export function niceCeil(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function formatAxisMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number(ms.toPrecision(3))} ms`;
}

/** Ticks at 1, 2, 5 × 10^k ms inside [lo, hi] (log10); decades only, then every other decade, … when too many. */
function msTicks(lo: number, hi: number, max: number): number[] {
  const candidates: { value: number; decade: boolean }[] = [];
  for (let power = Math.floor(lo) - 1; power <= Math.ceil(hi); power++) {
    for (const step of [1, 2, 5]) {
      const log = Math.log10(step) + power;
      if (log >= lo - 1e-9 && log <= hi + 1e-9) {
        candidates.push({ value: Number((step * 10 ** power).toPrecision(3)), decade: step === 1 });
      }
    }
  }
  if (candidates.length <= max) return candidates.map((tick) => tick.value);
  const decades = candidates.filter((tick) => tick.decade).map((tick) => tick.value);
  const stride = Math.ceil(decades.length / max);
  return decades.filter((_, index) => index % stride === 0);
}

export function layoutHistogram(
  buckets: readonly JobHistogramBucket[],
  { width, height, maxTicks = 6 }: { width: number; height: number; maxTicks?: number },
): HistogramLayout {
  const sorted = buckets.filter((bucket) => bucket.count > 0).sort((a, b) => a.fromMs - b.fromMs);
  const total = sorted.reduce((sum, bucket) => sum + bucket.count, 0);
  if (sorted.length === 0) return { bars: [], countMax: 1, xTicks: [], yTicks: [], total: 0 };

  let lo = logBounds(sorted[0]!)[0];
  let hi = logBounds(sorted.at(-1)!)[1];
  const minSpan = minSpanBuckets * Math.log10(bucketGrowth);
  if (hi - lo < minSpan) {
    const middle = (lo + hi) / 2;
    lo = middle - minSpan / 2;
    hi = middle + minSpan / 2;
  }
  const x = (log: number) => ((log - lo) / (hi - lo)) * width;

  const tallest = Math.max(...sorted.map((bucket) => bucket.count));
  const countMax = niceCeil(tallest);
  const bars = sorted.map((bucket) => {
    const [from, to] = logBounds(bucket);
    return {
      fromMs: bucket.fromMs,
      toMs: bucket.toMs,
      count: bucket.count,
      x: x(from),
      width: x(to) - x(from),
      height: Math.max(1, (bucket.count / countMax) * height),
    };
  });

  let tickValues = msTicks(lo, hi, maxTicks);
  // A narrow range with no round number in it: label where the bars start and end.
  if (tickValues.length === 0) tickValues = [sorted[0]!.fromMs, sorted.at(-1)!.toMs ?? sorted.at(-1)!.fromMs];
  const xTicks = tickValues.map((ms) => ({ at: x(Math.log10(Math.max(ms, 1e-6))), label: formatAxisMs(ms) }));
  const yTicks = [0, countMax / 2, countMax]
    .filter((count) => Number.isInteger(count))
    .map((count) => ({ at: (count / countMax) * height, label: compactCount(count) }));
  return { bars, countMax, xTicks, yTicks, total };
}

/** `500`, `1k`, `2.5k`, `10k`: short enough for the count axis. */
export function compactCount(count: number): string {
  return count >= 1000 ? `${Number((count / 1000).toPrecision(3))}k` : String(count);
}

/** `1.2–1.44 ms`, `≥ 60 s`, `< 0.1 ms`: a bucket's range in words. */
export function bucketLabel(bucket: Pick<JobHistogramBucket, 'fromMs' | 'toMs'>): string {
  if (bucket.toMs === null) return `≥ ${formatAxisMs(bucket.fromMs)}`;
  if (bucket.fromMs <= 0) return `< ${formatAxisMs(bucket.toMs)}`;
  const from = formatAxisMs(bucket.fromMs);
  const to = formatAxisMs(bucket.toMs);
  const unit = (text: string) => text.replace(/^[\d.]+ /, '');
  return unit(from) === unit(to) ? `${from.replace(/ .*$/, '')}–${to}` : `${from}–${to}`;
}
