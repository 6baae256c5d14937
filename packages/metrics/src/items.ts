/**
 * How endpoint figures are laid out in the metrics table. Every minute bucket is written three
 * times, into a 1-minute, a 5-minute and a 1-hour item, so a chart at any step reads one item per
 * endpoint and writer per point (24 h at 1m, 7 d at 5m and 90 d at 1h each read about 1,440–2,160
 * items per endpoint and writer), never Scan:
 *
 * - `pk` = `<step>#<period>#<shard>`: `1m#2025-11-27#2` (a UTC day), `5m#2025-11#0` (a month),
 *   `1h#2025#3` (a year), the shard (0…{@link shardCount}−1) a hash of endpoint and writer, so no one
 *   partition key takes every endpoint's writes; any accepted range spans at most two or three
 *   periods, each read with one paginated Query per shard;
 * - `sk` = `<bucket start, yyyy-mm-ddThh:mmZ>#<endpoint>#<writer>`, so a time range is one `BETWEEN`;
 * - one item per writer (process): writers never contend for an item, an item never grows with the
 *   number of writers, and the reader adds up the writers' items of a bucket;
 * - counters (`requests`, `status2xx`…`status5xx`, `run_ok`…`run_rejected`) and histogram buckets
 *   (`h0`…`h74`, only those used) are top-level numbers updated with `ADD`;
 * - `endpoint`, `t` (bucket start, ISO) and `expiresAt` (epoch s, for DynamoDB TTL) are `SET`;
 * - `seq` is the last flush sequence number the item's writer applied to it, so a retried write that
 *   had in fact landed is refused by its condition instead of counted twice.
 */
import type { MetricsStep } from '@squirrelbin/schemas';
import { histogramBuckets } from './histogram.ts';
import { emptyFigures, type Figures, runOutcomes } from './recorder.ts';

export interface Resolution {
  step: MetricsStep;
  ms: number;
  /** Start of the period holding `t`, the start of the next one, and the period's key (shards add a suffix). */
  partition(t: number): { start: number; next: number; key: string };
}

const day = 86_400_000;

export const resolutions: Record<MetricsStep, Resolution> = {
  '1m': {
    step: '1m',
    ms: 60_000,
    partition(t) {
      const start = t - (t % day);
      return { start, next: start + day, key: `1m#${new Date(start).toISOString().slice(0, 10)}` };
    },
  },
  '5m': {
    step: '5m',
    ms: 300_000,
    partition(t) {
      const date = new Date(t);
      const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      return { start, next, key: `5m#${date.toISOString().slice(0, 7)}` };
    },
  },
  '1h': {
    step: '1h',
    ms: 3_600_000,
    partition(t) {
      const year = new Date(t).getUTCFullYear();
      return { start: Date.UTC(year, 0, 1), next: Date.UTC(year + 1, 0, 1), key: `1h#${year}` };
    },
  },
};

export const allResolutions = Object.values(resolutions);

export const floorTo = (t: number, ms: number) => t - (((t % ms) + ms) % ms);

/** `2025-11-27T10:05Z`: sorts as time, and is what `sk` starts with. */
export const bucketLabel = (t: number) => `${new Date(t).toISOString().slice(0, 16)}Z`;

/** Partition keys per period: enough to spread every endpoint's writes, few enough to Query them all. */
export const shardCount = 4;

/** FNV-1a: a stable, well-spread hash of endpoint and writer (the same item must always land in the same shard). */
function shardOf(endpoint: string, writer: string): number {
  let hash = 0x811c9dc5;
  const text = `${endpoint}#${writer}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shardCount;
}

export const shardKey = (periodKey: string, shard: number) => `${periodKey}#${shard}`;

export const itemKey = (resolution: Resolution, bucketStart: number, endpoint: string, writer: string) => ({
  pk: shardKey(resolution.partition(bucketStart).key, shardOf(endpoint, writer)),
  sk: `${bucketLabel(bucketStart)}#${endpoint}#${writer}`,
});

export const counterAttributes = ['requests', 'status2xx', 'status3xx', 'status4xx', 'status5xx'] as const;
export const outcomeAttribute = (index: number) => `run_${runOutcomes[index]}`;
export const histogramAttribute = (index: number) => `h${index}`;

/** Epoch seconds after which the item is past retention (also the DynamoDB TTL value). */
export const expiresAt = (bucketStart: number, resolution: Resolution, retentionDays: number) =>
  Math.floor((bucketStart + resolution.ms + retentionDays * day) / 1000);

/** The non-zero figures as attribute → number, ready for `ADD`. */
export function figureAttributes(figures: Figures): Map<string, number> {
  const attributes = new Map<string, number>();
  for (const name of counterAttributes) if (figures[name] !== 0) attributes.set(name, figures[name]);
  figures.outcomes.forEach((count, i) => {
    if (count !== 0) attributes.set(outcomeAttribute(i), count);
  });
  figures.histogram.forEach((count, i) => {
    if (count !== 0) attributes.set(histogramAttribute(i), count);
  });
  return attributes;
}

/** Reads figures back from an item; absent attributes are zero. */
export function figuresOfItem(item: Record<string, unknown>): Figures {
  const figures = emptyFigures();
  const number = (name: string) => {
    const value = item[name];
    return typeof value === 'number' ? value : 0;
  };
  for (const name of counterAttributes) figures[name] = number(name);
  for (let i = 0; i < runOutcomes.length; i++) figures.outcomes[i] = number(outcomeAttribute(i));
  for (let i = 0; i < histogramBuckets; i++) figures.histogram[i] = number(histogramAttribute(i));
  return figures;
}
