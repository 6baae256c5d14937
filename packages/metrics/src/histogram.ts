/** A fixed log-scale latency histogram: the same buckets everywhere, so histograms merge by adding counts. */

/** Lower bound of the first regular bucket, in ms; faster samples land in the underflow bucket 0. */
export const histogramMinMs = 0.1;
/** Upper bound of the last regular bucket, in ms; slower samples land in the overflow bucket. */
export const histogramMaxMs = 60_000;
/** Each regular bucket is this many times as wide as the one before. */
export const histogramGrowth = 1.2;

const logGrowth = Math.log(histogramGrowth);
/** Regular buckets 1..regularBuckets cover [0.1 ms, 60 s); 0 is underflow, regularBuckets + 1 overflow. */
const regularBuckets = Math.ceil(Math.log(histogramMaxMs / histogramMinMs) / logGrowth);
/** Number of buckets, underflow and overflow included (75). */
export const histogramBuckets = regularBuckets + 2;
const overflow = histogramBuckets - 1;

/** Counts per bucket; index with {@link bucketOf}. */
export type Histogram = Float64Array;

export const emptyHistogram = (): Histogram => new Float64Array(histogramBuckets);

/** The bucket a latency falls in: bucket i (1..73) holds [0.1·1.2^(i-1), 0.1·1.2^i) ms. */
export function bucketOf(ms: number): number {
  if (!(ms >= histogramMinMs)) return 0; // also NaN and negatives
  const index = Math.floor(Math.log(ms / histogramMinMs) / logGrowth) + 1;
  return Math.min(index, overflow);
}

/** Bucket bounds in ms: [lower, upper); underflow is [0, 0.1), overflow [60 s, ∞). */
export function bucketBounds(index: number): [number, number] {
  if (index <= 0) return [0, histogramMinMs];
  if (index >= overflow) return [histogramMinMs * histogramGrowth ** regularBuckets, Number.POSITIVE_INFINITY];
  return [histogramMinMs * histogramGrowth ** (index - 1), histogramMinMs * histogramGrowth ** index];
}

/**
 * The value a bucket stands for: the geometric midpoint of its bounds, so it is within
 * ±√1.2 (about ±9.5 %) of any sample in the bucket. Underflow reports 0.1 ms, overflow 60 s.
 */
export function bucketValue(index: number): number {
  if (index <= 0) return histogramMinMs;
  if (index >= overflow) return bucketBounds(overflow)[0];
  const [lower, upper] = bucketBounds(index);
  return Math.sqrt(lower * upper);
}

export function addHistogram(into: Histogram, from: ArrayLike<number>): void {
  for (let i = 0; i < histogramBuckets; i++) into[i]! += from[i] ?? 0;
}

/**
 * The p-th percentile (0 < p ≤ 100) by nearest rank, as {@link bucketValue} of the bucket holding
 * that rank: always in the same bucket as the true value. Null when the histogram is empty.
 */
export function percentile(histogram: ArrayLike<number>, p: number): number | null {
  let total = 0;
  for (let i = 0; i < histogramBuckets; i++) total += histogram[i] ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < histogramBuckets; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return reportedValue(i);
  }
  return reportedValue(overflow);
}

/** What a percentile in bucket `index` reports: its {@link bucketValue}, to three decimals (plenty at ±9.5 %). */
export const reportedValue = (index: number): number => Math.round(bucketValue(index) * 1000) / 1000;
