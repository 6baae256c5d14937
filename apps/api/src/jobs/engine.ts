/**
 * The job engine: what a worker does with a lane it holds, the same for the local worker (apps/api/src/jobs/
 * local-worker.ts) and the SQS worker Lambda. A lane's slices run one after another, each iteration in the sandbox
 * as a background run (never in front of interactive runs), each result put only if absent, the slice's tally
 * written with the lease renewals and merged into the lane's summary in one conditional write when the slice ends.
 * A lane taken over after its holder died first counts the results the dead holder recorded for the slice, then
 * runs only the iterations without one: every iteration is recorded and counted exactly once. Decision 009.
 */
import type { RunResult } from '@squirrelbin/schemas';
import { isFinishedJob } from '@squirrelbin/schemas';
import type { Store, StoredJob, StoredLane, StoredResult } from '@squirrelbin/store';
import type { AcornCache } from '../acorn-cache.ts';
import { resolveAcornImports } from '../acorn-imports.ts';
import type { AcornRunner } from '../deps.ts';
import { sliceMaxIterations } from './queue-message.ts';
import { addResult, emptyTally, mergeTallies, parseTally, type Tally, tallyJson, tallyOfLanes } from './tally.ts';

/** Batch slices hold their inputs in one item: 16 inputs of at most 16 KiB stay far below DynamoDB's 400 KB. */
const batchSliceMaxIterations = 16;
/** A lane taken over from dead holders this many times fails its job: something kills every worker that takes it. */
const MAX_TAKEOVERS = 5;
/** Jobs a process keeps its last read of. */
const MAX_WATCHED = 1_000;
/** The longest a worker waits before asking a full sandbox again. */
const MAX_REFUSAL_WAIT_MS = 2_000;

export interface JobEngine {
  store: Store;
  runner: AcornRunner;
  acornCache: AcornCache;
  /** How long a lease lasts without renewal, and how often it is renewed. */
  leaseMs: number;
  heartbeatMs: number;
  /** Active-job slots per identity (the same bound the start route checks). */
  maxActiveJobs: number;
}

/** How a job is cut: `lanes` (its concurrency, or fewer when there are fewer slices) × slices of `sliceSize`. */
export function planJob(kind: StoredJob['kind'], total: number, concurrency: number) {
  const lanes = Math.min(concurrency, total);
  // About four slices per lane: lanes that finish early are few, and each slice ends in one small write.
  const most = kind === 'batch' ? batchSliceMaxIterations : sliceMaxIterations;
  const sliceSize = Math.max(1, Math.min(most, Math.ceil(total / (lanes * 4))));
  const slices = Math.ceil(total / sliceSize);
  return { lanes: Math.min(lanes, slices), sliceSize };
}

const sliceCount = (job: StoredJob) => Math.ceil(job.total / job.sliceSize);
/** The slice a lane runs at `position`. */
const sliceAt = (job: StoredJob, lane: number, position: number) => lane + position * job.lanes;

/**
 * Jobs as this process last read them, so that lanes of one job share one read per heartbeat; a cancel in this
 * process is seen at once (`noteEnded`).
 */
export class JobWatch {
  readonly #jobs = new Map<string, { job: StoredJob; readAt: number }>();
  readonly #store: Store;
  readonly #maxAgeMs: number;
  constructor(store: Store, maxAgeMs: number) {
    this.#store = store;
    this.#maxAgeMs = maxAgeMs;
  }

  async get(id: string, now = Date.now()): Promise<StoredJob | undefined> {
    const seen = this.#jobs.get(id);
    if (seen && now - seen.readAt < this.#maxAgeMs) return seen.job;
    const job = await this.#store.jobs.get(id);
    this.#jobs.delete(id);
    if (job) this.#jobs.set(id, { job, readAt: now });
    // Jobs that ended elsewhere are never forgotten here: keep the most recently read.
    if (this.#jobs.size > MAX_WATCHED) this.#jobs.delete(this.#jobs.keys().next().value as string);
    return job;
  }

  noteEnded(id: string, status: 'cancelled' | 'failed'): void {
    const seen = this.#jobs.get(id);
    if (seen && !isFinishedJob(seen.job.status)) seen.job = { ...seen.job, status };
  }

  forget(id: string): void {
    this.#jobs.delete(id);
  }
}

export type LaneOutcome = 'finished' | 'stopped' | 'lost' | 'paused';

export interface LaneOptions {
  /** The lease owner this worker claimed the lane as. */
  owner: string;
  /** Stop after this many slices (the SQS worker runs one per message); the lease is then handed over. */
  maxSlices?: number;
  /** On AWS: when `maxSlices` ran, the lease goes to the token `owner` for `ms`, for the next step's message. */
  handoff?: { owner: string; ms: number };
  /** Aborted when this worker shuts down: the run in flight is dropped (not recorded) and the lane released. */
  signal?: AbortSignal;
}

/**
 * Works `lane` (already claimed, as returned by claimLane) of `job`: slices one after another until the lane is done
 * (`finished`), the job ended (`stopped`), the lease was lost (`lost`) or `maxSlices` ran / the signal aborted
 * (`paused`). Finalizes the job when this was its last lane.
 */
export async function workLane(
  engine: JobEngine,
  watch: JobWatch,
  job: StoredJob,
  claimed: StoredLane,
  options: LaneOptions,
): Promise<LaneOutcome> {
  const { store } = engine;
  const lane = claimed.lane;
  let position = claimed.position;
  const summary = parseTally(claimed.summary);
  if (claimed.takeovers > MAX_TAKEOVERS && (await store.jobs.end(job.id, 'failed'))) {
    watch.noteEnded(job.id, 'failed');
    const message = `job ${job.id} failed: the workers of lane ${lane} died ${claimed.takeovers} times`;
    console.error(JSON.stringify({ level: 'error', message }));
  }
  if (job.status === 'queued') await store.jobs.markStarted(job.id);
  const acorns = await resolveAcornImports(job.code, { id: job.creatorId }, store, engine.acornCache);
  const loadInput = job.inputJson === undefined ? undefined : JSON.parse(job.inputJson);
  for (let slices = 0; ; slices++) {
    if (options.maxSlices !== undefined && slices >= options.maxSlices) {
      // The step's slices ran: the lease goes over to the next message (AWS), which claims it with the token.
      const { handoff } = options;
      if (handoff) {
        await store.jobs.handOver(job.id, lane, options.owner, {
          owner: handoff.owner,
          expiresAt: Date.now() + handoff.ms,
        });
      }
      return 'paused';
    }
    const slice = sliceAt(job, lane, position);
    const from = slice * job.sliceSize;
    const to = Math.min(job.total, from + job.sliceSize);
    // What an earlier holder of this lane recorded of the slice counts now; only the rest runs.
    const tally = emptyTally();
    const recorded = new Set<number>();
    if (slices === 0) {
      for (const result of await store.jobs.resultsBetween(job.id, from, to - 1)) {
        recorded.add(result.iteration);
        addResult(tally, result);
      }
    }
    const ended = async () => isFinishedJob((await watch.get(job.id))?.status ?? 'failed');
    let lost = false;
    let stop = await ended();
    const inputs = job.kind === 'batch' && !stop ? await store.jobs.sliceInputs(job.id, slice) : [];
    // Renew the lease and show progress while the slice runs.
    let beating = Promise.resolve();
    const beat = setInterval(() => {
      beating = beating.then(async () => {
        if (lost) return;
        const held = await store.jobs
          .heartbeat(job.id, lane, options.owner, Date.now() + engine.leaseMs, tallyJson(tally))
          .catch(() => true); // a store hiccup: try again at the next beat, the lease has time
        if (!held) lost = true;
        if (await ended().catch(() => false)) stop = true;
      });
    }, engine.heartbeatMs);
    try {
      for (let iteration = from; iteration < to && !stop && !lost; iteration++) {
        if (recorded.has(iteration)) continue;
        if (options.signal?.aborted) break;
        const input = job.kind === 'batch' ? inputs[iteration - from] : loadInput;
        const result = await runIteration(engine, job, input, acorns, options.signal);
        if (!result) break; // shut down mid-run: the lane goes back, the iteration runs again elsewhere
        const stored = toStoredResult(iteration, result);
        if (await store.jobs.putResult(job.id, stored)) addResult(tally, stored);
        else {
          // Recorded already (a holder we took over from got there first): count what is stored.
          const [existing] = await store.jobs.resultsBetween(job.id, iteration, iteration);
          if (existing) addResult(tally, existing);
        }
        recorded.add(iteration);
      }
    } finally {
      clearInterval(beat);
      await beating;
    }
    if (lost) return 'lost';
    if (options.signal?.aborted && recorded.size < to - from && !stop) {
      // Shutting down: record the progress, give the lane back; another worker finishes the slice.
      await store.jobs.heartbeat(job.id, lane, options.owner, Date.now(), tallyJson(tally));
      await store.jobs.releaseLane(job.id, lane, options.owner);
      return 'paused';
    }
    const next = slice + job.lanes < sliceCount(job) ? slice + job.lanes : undefined;
    // The lane's summary now covers this slice (merged in place; written only if the slice completes).
    const merged = tallyJson(mergeTallies(summary, tally));
    const complete = recorded.size >= to - from;
    const outcome: LaneOutcome = stop && !complete ? 'stopped' : next === undefined ? 'finished' : 'paused';
    const held = await store.jobs.completeSlice(
      job.id,
      lane,
      options.owner,
      position,
      merged,
      outcome === 'paused' ? { expiresAt: Date.now() + engine.leaseMs } : outcome,
    );
    if (!held) return 'lost';
    position++;
    if (outcome !== 'paused') {
      await finishIfDone(engine, watch, job.id);
      return outcome;
    }
  }
}

/** Finalizes the job when every lane is finished or stopped; frees its active slot and its queue entry. */
export async function finishIfDone(engine: JobEngine, watch: JobWatch, jobId: string): Promise<boolean> {
  const { store } = engine;
  const lanes = await store.jobs.lanes(jobId);
  if (!lanes.every((lane) => lane.finished || lane.stopped)) return false;
  await store.jobs.finalize(jobId, tallyJson(tallyOfLanes(lanes)));
  const job = await store.jobs.get(jobId);
  watch.forget(jobId);
  if (job?.finishedAt) {
    await store.jobs.releaseActiveSlot(job.creatorId, jobId, engine.maxActiveJobs);
    await store.jobs.unqueue(jobId);
  }
  return true;
}

/**
 * Cancels a job (or fails it: `status`): no iteration starts after this. Lanes nobody works are stopped here; lanes being worked stop
 * after their iteration in flight (this process sees it at once, others at their next heartbeat).
 */
export async function cancelJob(
  engine: JobEngine,
  watch: JobWatch,
  jobId: string,
  status: 'cancelled' | 'failed' = 'cancelled',
): Promise<boolean> {
  const ended = await engine.store.jobs.end(jobId, status);
  if (!ended) return false;
  watch.noteEnded(jobId, status);
  for (const lane of await engine.store.jobs.lanes(jobId)) {
    if (!lane.finished && !lane.stopped) await engine.store.jobs.stopIdleLane(jobId, lane.lane);
  }
  await finishIfDone(engine, watch, jobId);
  return true;
}

/** One iteration in the sandbox; undefined when the worker shut down under it. A full sandbox is asked again. */
async function runIteration(
  engine: JobEngine,
  job: StoredJob,
  input: unknown,
  acorns: Awaited<ReturnType<typeof resolveAcornImports>>,
  signal: AbortSignal | undefined,
): Promise<RunResult | undefined> {
  for (;;) {
    const result = await engine.runner.run(
      {
        owner: `id:${job.creatorId}`,
        language: job.language,
        code: job.code,
        input,
        ...(job.timeoutMs ? { limits: { timeoutMs: job.timeoutMs } } : {}),
        ...(acorns ? { acorns } : {}),
      },
      { background: true, ...(signal ? { signal } : {}) },
    );
    if ('status' in result) return result;
    if ('cancelled' in result) return undefined;
    // Refused (the creator quarantined for killing workers): wait and ask again; the iteration is not lost.
    await new Promise((resolve) => setTimeout(resolve, Math.min(result.retryAfterSeconds * 1000, MAX_REFUSAL_WAIT_MS)));
    if (signal?.aborted) return undefined;
  }
}

export function toStoredResult(iteration: number, result: RunResult): StoredResult {
  const stored: StoredResult = {
    iteration,
    status: result.status,
    wallMs: result.wallMs,
    cpuMs: result.cpuMs,
    preview: result.preview,
  };
  if (result.value !== undefined) stored.valueJson = JSON.stringify(result.value);
  if (result.error) stored.error = result.error;
  return stored;
}

export type { Tally };
