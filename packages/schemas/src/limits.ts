/** Field and size limits shared by the API (validation) and the SPA (form checks). */
export const fieldLimits = {
  titleMax: 120,
  descriptionMax: 2_000,
  codeMaxBytes: 64 * 1024,
  inputMaxBytes: 16 * 1024,
  /** Request and response bodies of `/x/{id}` endpoint calls. */
  endpointBodyMaxBytes: 1024 * 1024,
  queryMax: 100,
  listLimitMax: 100,
  listLimitDefault: 20,
} as const;

/** Bounds of a job (DESIGN.md, "Limits"). Here, not in jobs.ts, so a client can read them without loading zod. */
export const jobLimits = {
  iterationsMax: 10_000,
  concurrencyMax: 50,
  batchInputsMax: 1_000,
  /** Queued or running jobs one identity may have at once (429 beyond). */
  activeJobsMax: 2,
  /** A batch job's concurrency when its body names none. */
  batchConcurrencyDefault: 4,
} as const;

/**
 * A job whose status will not change again. Its summary may still grow: a job cancelled with iterations in flight
 * says `cancelled` at once, and ends (`finishedAt` set, summary final) once they are recorded.
 */
export const isFinishedJob = (status: 'queued' | 'running' | 'succeeded' | 'cancelled' | 'failed'): boolean =>
  status === 'succeeded' || status === 'cancelled' || status === 'failed';

const encoder = new TextEncoder();

/** UTF-8 size of a string, the unit every byte limit is written in. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
