/** How the jobs panel writes times, rates and counts. */
import type { JobStatus } from '@squirrelbin/schemas';

const counts = new Intl.NumberFormat('en');

/** `–` before any result; `0.42 ms`, `4.2 ms`, `42 ms`, `1.25 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)} runs/s`;
}

export function formatCount(count: number): string {
  return counts.format(count);
}

/** Whole percent, rounded down so a job shows 100 % only once every iteration is recorded. */
export function percentDone(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}

/** The badge colour of a job status (the run badges' classes). */
export const jobStatusBadge: Record<JobStatus, string> = {
  queued: 'badge-running',
  running: 'badge-running',
  succeeded: 'badge-ok',
  cancelled: 'badge-stopped',
  failed: 'badge-error',
};
