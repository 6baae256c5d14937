// Options of the sandbox with their defaults (DESIGN.md, "Limits"), and the clamping of what a run asks for.
import { availableParallelism } from 'node:os';
import type { LogEntry } from '@squirrelbin/schemas';
import type { IsolatePoolOptions } from './isolate-pool.ts';
import type { Language } from './prepare.ts';

export interface RunLimitsConfig {
  timeoutMs: number;
  memoryMb: number;
}

export interface SandboxOptions {
  /** Worker processes; default one per core. */
  workers?: number;
  /** Runs a worker executes at once; each has its own isolate on its own thread. Default 4. */
  runsPerWorker?: number;
  /** Runs waiting for a free slot, across owners, before new ones are turned away (`queue-full`). Default 100. */
  maxQueue?: number;
  /**
   * Runs of one owner executing at once; the owner's further runs wait in its own queue, and owners with waiting
   * runs are served in turn (round-robin), so one busy owner cannot hold every slot. Default 2.
   */
  maxRunsPerOwner?: number;
  /** Runs of one owner waiting at once, so one owner cannot fill `maxQueue` (beyond: `queue-full`). Default 20. */
  maxQueuedPerOwner?: number;
  /**
   * An owner whose runs were to blame (proven, or suspected) for this many worker deaths within
   * `quarantineWindowMs` is refused (`owner-quarantined`) until the oldest of those deaths is that old. Deaths for
   * a deadline overrun do not count: they cost the owner's own slot, and honest runs overrun on a busy machine too.
   * Default 3.
   */
  quarantineAfterDeaths?: number;
  /** Default 60000. */
  quarantineWindowMs?: number;
  /**
   * Slots background runs (jobs: `RunOptions.background`) may hold at once; the rest stay free for interactive runs.
   * Background runs wait in a queue of their own that is served only when no interactive run waits. Default half
   * the slots (workers × runsPerWorker), at least 1.
   */
  backgroundSlots?: number;
  /** Limits of a run that asks for none. Default 1000 ms, 64 MiB. */
  defaults?: Partial<RunLimitsConfig>;
  /** The most a run may ask for. Default 10000 ms, 128 MiB. */
  maxima?: Partial<RunLimitsConfig>;
  /** Cap on the characters of all log messages of a run, and separately of its result's JSON. Default 65536. */
  maxOutputBytes?: number;
  /** Default 1000. */
  maxLogEntries?: number;
  /**
   * The largest body a handler run (`RunRequest.request`) may answer with; beyond it the run ends `error` (a
   * RangeError naming both sizes). Default 1 MiB (1048576).
   */
  maxResponseBytes?: number;
  /** An isolate is replaced after this many runs. Default 100. */
  recycleAfterRuns?: number;
  /** A worker whose resident memory passes this is killed and replaced. Default 512. */
  workerRssLimitMb?: number;
  /** How long past a run's deadline a worker may take before it is killed. Default 250. */
  killGraceMs?: number;
}

export interface RunRequest {
  /** Who runs it: an identity id, or the client IP. Isolates are never shared between owners. */
  owner: string;
  language: Language;
  code: string;
  /** Any JSON value; the acorn sees it as the global `input` (and as the argument of its default export). */
  input?: unknown;
  /**
   * Calls the acorn as an HTTP handler: its default export (a function, or an object with a `fetch` method) gets a
   * `Request` made of this, and what it returns becomes `RunResult.response`. `input` is then undefined.
   */
  request?: RunHandlerRequest;
  limits?: { timeoutMs?: number; memoryMb?: number };
  /**
   * The acorns this run may import, keyed by normalised specifier (`acorn:{id}` for the current version,
   * `acorn:{id}@{version}` for a pinned one), resolved by the caller with the caller's access: null for one the
   * caller may not read (its import fails exactly as a missing one's: "acorn:X cannot be imported: no such acorn, or
   * not yours"). It may hold more than is imported (e.g. everything `acorn:…` found in the code, transitively); an
   * imported specifier not in it fails like null.
   */
  acorns?: Record<string, ImportableAcorn | null>;
}

/** How a caller follows a run as it happens (`Sandbox.run`, `InProcessRunner.run`). */
export interface RunOptions {
  /**
   * Called with each log entry the run keeps, as it is written (batched per turn of the run's event loop; a loop
   * that never yields still delivers): the same entries, in the same order and within the same caps, as the
   * result's `logs`. All of them have been passed before `run` resolves. Not called after `signal` aborts.
   */
  onLog?: (entry: LogEntry) => void;
  /**
   * Aborting ends the run at once: a waiting run leaves the queue, a running one's isolate is disposed and its slot
   * freed. `run` then resolves `{ cancelled: true }` (also when the signal was aborted before `run`).
   */
  signal?: AbortSignal;
  /**
   * A background run (a job's iteration): it never waits in front of an interactive run, holds at most
   * `backgroundSlots` slots with the other background runs, and neither counts toward nor waits for its owner's
   * interactive cap and queue bounds (the job engine bounds how many it sends).
   */
  background?: boolean;
}

/** The same as RunOptions (the name the HTTP layer was first written against). */
export type StreamOptions = RunOptions;

/** What `run` resolves with when its `signal` aborted. */
export interface RunCancelled {
  cancelled: true;
}

/** An acorn another may import: its code at `version`. */
export interface ImportableAcorn {
  id: string;
  version: number;
  language: Language;
  code: string;
}

/** The HTTP request a handler run answers. JSON all through: it crosses to the worker processes as it is. */
export interface RunHandlerRequest {
  /** Any token; the standard ones are normalised to upper case, as `new Request` does. */
  method: string;
  /** Absolute (http or https), as the client asked for it; normalised as WHATWG URL serialises it. */
  url: string;
  /** In order; a name may repeat. Pairs no HTTP message could carry (a CR in a value…) are left out. */
  headers: [string, string][];
  /** The body's bytes; none for GET and HEAD. */
  bodyBase64?: string;
}

export type Settings = Required<Omit<SandboxOptions, 'defaults' | 'maxima'>> & {
  defaults: RunLimitsConfig;
  maxima: RunLimitsConfig;
};

export function settings(options: SandboxOptions = {}): Settings {
  const maxima = { timeoutMs: 10_000, memoryMb: 128, ...options.maxima };
  const defaults = { timeoutMs: 1000, memoryMb: 64, ...options.defaults };
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const runsPerWorker = Math.max(1, options.runsPerWorker ?? 4);
  return {
    workers,
    runsPerWorker,
    maxQueue: Math.max(0, options.maxQueue ?? 100),
    maxRunsPerOwner: Math.max(1, options.maxRunsPerOwner ?? 2),
    backgroundSlots: Math.max(1, options.backgroundSlots ?? Math.floor((workers * runsPerWorker) / 2)),
    maxQueuedPerOwner: Math.max(0, options.maxQueuedPerOwner ?? 20),
    quarantineAfterDeaths: Math.max(1, options.quarantineAfterDeaths ?? 3),
    quarantineWindowMs: Math.max(0, options.quarantineWindowMs ?? 60_000),
    defaults: {
      timeoutMs: Math.min(defaults.timeoutMs, maxima.timeoutMs),
      memoryMb: Math.min(defaults.memoryMb, maxima.memoryMb),
    },
    maxima,
    maxOutputBytes: options.maxOutputBytes ?? 65_536,
    maxLogEntries: options.maxLogEntries ?? 1000,
    maxResponseBytes: options.maxResponseBytes ?? 1_048_576,
    recycleAfterRuns: options.recycleAfterRuns ?? 100,
    workerRssLimitMb: options.workerRssLimitMb ?? 512,
    killGraceMs: options.killGraceMs ?? 250,
  };
}

/** A run's limits: what it asked for, within the maxima, and never below what isolated-vm can honour. */
export function clampLimits(requested: RunRequest['limits'], s: Settings): RunLimitsConfig {
  const timeoutMs = Math.round(requested?.timeoutMs ?? s.defaults.timeoutMs);
  const memoryMb = Math.round(requested?.memoryMb ?? s.defaults.memoryMb);
  return {
    timeoutMs: Math.min(Math.max(timeoutMs, 10), s.maxima.timeoutMs),
    memoryMb: Math.min(Math.max(memoryMb, 8), s.maxima.memoryMb),
  };
}

export function poolOptions(s: Settings, onCatastrophicError: IsolatePoolOptions['onCatastrophicError']) {
  return {
    caps: {
      maxOutputChars: s.maxOutputBytes,
      maxLogEntries: s.maxLogEntries,
      maxPreviewChars: 8192,
      maxResponseBytes: s.maxResponseBytes,
    },
    defaultMemoryMb: s.defaults.memoryMb,
    recycleAfterRuns: s.recycleAfterRuns,
    maxIdle: 16,
    spares: 2,
    onCatastrophicError,
  };
}
