/**
 * The local job worker: the store is the queue. Each server process (and each of several on one store) looks at
 * the queued jobs, claims lanes nobody holds or whose holder's lease expired, up to its own lane budget, and works
 * them (engine.ts). A process killed mid-job leaves leases that expire; whoever looks next takes them over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { finishIfDone, type JobEngine, type JobWatch, workLane } from './engine.ts';

/** A queue entry whose job cannot be read after this long is dropped (its job expired). */
const STALE_QUEUE_ENTRY_MS = 60_000;

export interface LocalWorkerOptions {
  /** Lanes this process works at once. */
  lanes: number;
  /** How often to look for work. */
  pollMs: number;
}

export class LocalJobWorker {
  readonly #engine: JobEngine;
  readonly #watch: JobWatch;
  readonly #options: LocalWorkerOptions;
  /** This process as a lease owner: unique per start, so a restarted server never mistakes its old leases for its own. */
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(6).toString('base64url')}`;
  readonly #working = new Map<string, Promise<unknown>>();
  readonly #shutdown = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #again = false;

  constructor(engine: JobEngine, watch: JobWatch, options: LocalWorkerOptions) {
    this.#engine = engine;
    this.#watch = watch;
    this.#options = options;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Look for work now (a job was started or a lane freed in this process). */
  wake(): void {
    if (this.#shutdown.signal.aborted) return;
    if (this.#polling) this.#again = true;
    else this.#schedule(0);
  }

  /** Stops taking lanes; the runs in flight are dropped (they run again elsewhere) and the lanes given back. */
  async close(): Promise<void> {
    this.#shutdown.abort();
    clearTimeout(this.#timer);
    await this.#polling;
    await Promise.allSettled(this.#working.values());
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll()
        .catch((error) =>
          console.error(JSON.stringify({ level: 'warn', message: `job worker: ${(error as Error).message}` })),
        )
        .finally(() => {
          this.#polling = undefined;
          if (this.#shutdown.signal.aborted) return;
          const again = this.#again;
          this.#again = false;
          this.#schedule(again ? 0 : this.#options.pollMs);
        });
    }, ms);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const { store } = this.#engine;
    if (this.#working.size >= this.#options.lanes) return;
    const queued = await store.jobs.queued();
    // Oldest job first; every job gets a lane before any gets a second.
    const jobs = [];
    for (const { id, queuedAt } of queued) {
      const job = await this.#watch.get(id);
      if (!job) {
        // Its job item is written before its queue entry, so this is one that expired: forget it.
        if (Date.now() - queuedAt > STALE_QUEUE_ENTRY_MS) await store.jobs.unqueue(id);
        continue;
      }
      if (job.finishedAt) {
        await finishIfDone(this.#engine, this.#watch, id);
        continue;
      }
      jobs.push(job);
    }
    jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const now = Date.now();
    const free = new Map<string, number[]>();
    for (const job of jobs) {
      const lanes = await store.jobs.lanes(job.id);
      if (lanes.every((lane) => lane.finished || lane.stopped)) {
        await finishIfDone(this.#engine, this.#watch, job.id);
        continue;
      }
      free.set(
        job.id,
        lanes
          .filter((lane) => !lane.finished && !lane.stopped)
          .filter((lane) => lane.leaseOwner === undefined || (lane.leaseExpiresAt ?? 0) < now)
          .filter((lane) => !this.#working.has(`${job.id}/${lane.lane}`))
          .map((lane) => lane.lane),
      );
    }
    for (let round = true; round; ) {
      round = false;
      for (const job of jobs) {
        if (this.#working.size >= this.#options.lanes || this.#shutdown.signal.aborted) return;
        const lane = free.get(job.id)?.shift();
        if (lane === undefined) continue;
        round = true;
        const claimed = await store.jobs.claimLane(job.id, lane, this.#owner, Date.now() + this.#engine.leaseMs);
        if (!claimed) continue; // another worker was quicker
        const key = `${job.id}/${lane}`;
        const working = workLane(this.#engine, this.#watch, job, claimed, {
          owner: this.#owner,
          signal: this.#shutdown.signal,
        })
          .catch((error) => {
            // The lease runs out and another worker (or this one) takes the lane over.
            const message = `job ${job.id} lane ${lane}: ${(error as Error).message}`;
            console.error(JSON.stringify({ level: 'warn', message }));
          })
          .finally(() => {
            this.#working.delete(key);
            this.wake();
          });
        this.#working.set(key, working);
      }
    }
  }
}
