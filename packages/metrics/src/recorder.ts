/** In-memory per-minute, per-endpoint request figures: what the middleware records and the flusher drains. */
import { addHistogram, bucketOf, emptyHistogram, type Histogram } from './histogram.ts';

export const runOutcomes = ['ok', 'error', 'timeout', 'memory', 'killed', 'rejected', 'cancelled'] as const;
/**
 * How a run ended, as counted for run endpoints; `rejected` is a 429/503 from the run queue or rate limit,
 * `cancelled` a run its client left (it was stopped at once).
 */
export type RunOutcome = (typeof runOutcomes)[number];

const outcomeIndex: Record<string, number> = Object.fromEntries(runOutcomes.map((outcome, i) => [outcome, i]));

export interface RequestSample {
  /** The route's name, e.g. `acorns.get`; `unmatched` for paths no route serves. */
  endpoint: string;
  status: number;
  latencyMs: number;
  /** Only on run endpoints. */
  outcome?: RunOutcome | undefined;
}

/** One endpoint's figures for one minute (or, merged, for any span). */
export interface Figures {
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** Counts in {@link runOutcomes} order; all zero for endpoints that run nothing. */
  outcomes: Float64Array;
  histogram: Histogram;
}

export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  endpoint: string;
  figures: Figures;
}

export interface Recorder {
  /** Counts one request; `now` (epoch ms) picks the minute and defaults to `Date.now()`. */
  record(sample: RequestSample, now?: number): void;
  /** Removes and returns every bucket recorded so far. */
  take(): MinuteBucket[];
}

export const emptyFigures = (): Figures => ({
  requests: 0,
  status2xx: 0,
  status3xx: 0,
  status4xx: 0,
  status5xx: 0,
  outcomes: new Float64Array(runOutcomes.length),
  histogram: emptyHistogram(),
});

export function addFigures(into: Figures, from: Figures): void {
  into.requests += from.requests;
  into.status2xx += from.status2xx;
  into.status3xx += from.status3xx;
  into.status4xx += from.status4xx;
  into.status5xx += from.status5xx;
  for (let i = 0; i < runOutcomes.length; i++) into.outcomes[i]! += from.outcomes[i]!;
  addHistogram(into.histogram, from.histogram);
}

export const hasOutcomes = (figures: Figures): boolean => figures.outcomes.some((count) => count > 0);

const minuteMs = 60_000;

/** A recorder keeping figures in memory until taken; recording is a few map lookups and increments. */
export function createRecorder(): Recorder {
  // minute → endpoint → figures; the current minute's map is cached so most records skip the outer lookup.
  let minutes = new Map<number, Map<string, Figures>>();
  let currentMinute = Number.NaN;
  let current: Map<string, Figures> | undefined;

  const figuresFor = (minute: number, endpoint: string): Figures => {
    if (minute !== currentMinute || !current) {
      current = minutes.get(minute);
      if (!current) {
        current = new Map();
        minutes.set(minute, current);
      }
      currentMinute = minute;
    }
    let figures = current.get(endpoint);
    if (!figures) {
      figures = emptyFigures();
      current.set(endpoint, figures);
    }
    return figures;
  };

  return {
    record(sample, now = Date.now()) {
      const figures = figuresFor(now - (now % minuteMs), sample.endpoint);
      figures.requests++;
      const status = sample.status;
      if (status >= 500) figures.status5xx++;
      else if (status >= 400) figures.status4xx++;
      else if (status >= 300) figures.status3xx++;
      else if (status >= 200) figures.status2xx++;
      figures.histogram[bucketOf(sample.latencyMs)]!++;
      if (sample.outcome !== undefined) {
        const index = outcomeIndex[sample.outcome];
        if (index !== undefined) figures.outcomes[index]!++;
      }
    },
    take() {
      const taken: MinuteBucket[] = [];
      for (const [minute, endpoints] of minutes) {
        for (const [endpoint, figures] of endpoints) taken.push({ minute, endpoint, figures });
      }
      minutes = new Map();
      current = undefined;
      currentMinute = Number.NaN;
      return taken;
    },
  };
}
