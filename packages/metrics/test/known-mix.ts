/** A known mix of traffic, and the admin response it must give, computed without the package's merge code. */
import type { MetricsStep } from '@squirrelbin/schemas';
import { bucketOf, emptyHistogram, percentile } from '../src/histogram.ts';
import { type RequestSample, type RunOutcome, runOutcomes } from '../src/index.ts';

export const minute = 60_000;
export const day = 86_400_000;
export const retentionDays = 30;
/** Crosses an hour, a day, a month and a year boundary, so every partition scheme splits. */
export const start = Date.UTC(2025, 11, 31, 23, 40);
export const end = start + 45 * minute;
export const now = end + 10 * minute;

export interface Sample extends RequestSample {
  at: number;
}

/** A known mix: three endpoints, varied statuses, latencies and run outcomes over 45 minutes. */
export function knownMix(): Sample[] {
  const samples: Sample[] = [];
  // Every outcome, `ok` twice; run minutes (m % 3 === 0) cycle through them all.
  const outcomes: RunOutcome[] = ['ok', ...runOutcomes];
  for (let m = 0; m < 45; m++) {
    // Some minutes stay empty, so the series must fill zeros.
    if (m % 7 === 3) continue;
    const at = start + m * minute;
    for (let i = 0; i < 3 + (m % 5); i++) {
      samples.push({
        at: at + i * 1_000,
        endpoint: 'acorns.get',
        status: [200, 200, 304, 404, 500][i % 5]!,
        latencyMs: 0.5 + ((m * 7 + i * 13) % 40),
      });
    }
    if (m % 2 === 0) samples.push({ at: at + 30_000, endpoint: 'acorns.list', status: 200, latencyMs: 12 + m });
    if (m % 3 === 0) {
      const outcome = outcomes[m % outcomes.length]!;
      // A cancelled run's client left: 499, "client closed request".
      const status = outcome === 'rejected' ? (m % 2 ? 429 : 503) : outcome === 'cancelled' ? 499 : 200;
      samples.push({ at: at + 59_999, endpoint: 'run.post', status, latencyMs: 100 + m * 20, outcome });
    }
  }
  return samples;
}

const stepMs: Record<MetricsStep, number> = { '1m': minute, '5m': 5 * minute, '1h': 60 * minute };

/** What the response must say, computed from the raw samples without the package's merge code. */
export function expected(samples: Sample[], step: MetricsStep, from: number, to: number) {
  const first = from - (from % stepMs[step]);
  const steps: number[] = [];
  for (let t = first; t < to; t += stepMs[step]) steps.push(t);
  const endpoints = [...new Set(samples.map((s) => s.endpoint))].sort();
  const point = (list: Sample[], runs: boolean) => {
    const histogram = emptyHistogram();
    for (const s of list) histogram[bucketOf(s.latencyMs)]!++;
    const classCount = (c: number) => list.filter((s) => Math.floor(s.status / 100) === c).length;
    const outcome = (o: RunOutcome) => list.filter((s) => s.outcome === o).length;
    return {
      count: list.length,
      status2xx: classCount(2),
      status3xx: classCount(3),
      status4xx: classCount(4),
      status5xx: classCount(5),
      p50: percentile(histogram, 50),
      p95: percentile(histogram, 95),
      p99: percentile(histogram, 99),
      ...(runs
        ? {
            outcomes: {
              ok: outcome('ok'),
              error: outcome('error'),
              timeout: outcome('timeout'),
              memory: outcome('memory'),
              killed: outcome('killed'),
              rejected: outcome('rejected'),
              cancelled: outcome('cancelled'),
            },
          }
        : {}),
    };
  };
  return endpoints.map((endpoint) => {
    const mine = samples.filter((s) => s.endpoint === endpoint && s.at >= first && s.at < steps.at(-1)! + stepMs[step]);
    const runs = mine.some((s) => s.outcome);
    return {
      endpoint,
      totals: point(mine, runs),
      series: steps.map((t) => ({
        t: new Date(t).toISOString(),
        ...point(
          mine.filter((s) => s.at >= t && s.at < t + stepMs[step]),
          runs,
        ),
      })),
    };
  });
}
