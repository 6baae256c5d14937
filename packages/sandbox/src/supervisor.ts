// The supervisor: a pool of worker processes, a bounded queue in front of them that serves owners in turn, and the
// last line of defence. It kills a worker whose run overstays its deadline, whose memory passes the bound, or which
// reports a catastrophic error, then replaces it. Runs are pure, so the runs caught in a dead worker are retried
// elsewhere, all but the one proven to have killed it; owners whose runs keep killing workers are refused a while.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LogEntry, RunResult, RunStatus } from '@squirrelbin/schemas';
import { bootstrapSource } from './bootstrap-source.ts';
import {
  clampLimits,
  type RunCancelled,
  type RunOptions,
  type RunRequest,
  type SandboxOptions,
  type Settings,
  settings,
} from './config.ts';
import type { RunPlan } from './isolate-runner.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/**
 * A run turned away before it started. `queue-full`: the queue, or the owner's share of it, is full.
 * `owner-quarantined`: this owner's runs brought down `quarantineAfterDeaths` workers lately.
 */
export type RunRejection = { rejected: 'queue-full' | 'owner-quarantined'; retryAfterSeconds: number };

export interface WorkerStats {
  pid: number;
  ready: boolean;
  /** Runs assigned to this worker. */
  running: number;
  rssMb: number;
}

export interface SandboxStats {
  workers: WorkerStats[];
  queued: number;
  /** Background (job) runs waiting, and on a worker now. */
  backgroundQueued: number;
  backgroundRunning: number;
  running: number;
  completed: number;
  rejected: number;
  /** Workers killed or lost since the start. */
  workerDeaths: number;
  rssLimitMb: number;
}

export interface Sandbox {
  /**
   * Runs an acorn in a worker; resolves with its result, or with a rejection when the queue is full. `options`:
   * live logs (`onLog`) and cancellation (`signal`, then `{ cancelled: true }`); see RunOptions.
   */
  run(request: RunRequest): Promise<RunResult | RunRejection>;
  run(request: RunRequest, options?: RunOptions): Promise<RunResult | RunRejection | RunCancelled>;
  /** Resolves once every worker has started and can take runs. */
  ready(): Promise<void>;
  stats(): SandboxStats;
  /** Kills the workers; runs still waiting or running resolve as `killed`. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  owner: string;
  plan: RunPlan;
  resolve: (result: RunResult | RunRejection | RunCancelled) => void;
  /** Settled (result, rejection, cancellation): nothing more happens to it. */
  done: boolean;
  /** The worker it is on now, if any. */
  worker?: Worker;
  onLog?: (entry: LogEntry) => void;
  /** Entries passed to onLog so far, and entries the current attempt's worker sent (a retry starts again at 0). */
  streamed: number;
  seen: number;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** A job's run: its own queue and slot share (RunOptions.background). */
  background: boolean;
  /** Worker deaths this run was caught in. */
  deaths: number;
  /** It was a suspect of an earlier death: suspected again, it is not retried. */
  suspected: boolean;
  startedAt: number;
  watchdog?: NodeJS.Timeout;
}

/** Why a worker died. Every run caught in it that is not a culprit is retried, suspects once only. */
interface Cause {
  /** The runs proven to have brought the worker down: they end with `status`. */
  culprits: number[];
  /** When no run is proven to, the runs that may have (they were executing). */
  suspects: number[];
  status: RunStatus;
  message: string;
}

/** A run caught in this many worker deaths ends as `killed` even if it was never to blame. */
const MAX_DEATHS = 3;

interface Worker {
  child: ChildProcess;
  pid: number;
  ready: boolean;
  jobs: Map<number, Job>;
  rss: number;
  executing: number[];
  cause?: Cause;
  exited: Promise<void>;
}

const WORKER_PATH = fileURLToPath(new URL('./worker.ts', import.meta.url));
const MB = 1024 * 1024;

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  bootstrapSource(); // the workers need the web globals built: say so here, naming the command, not in every worker
  const s: Settings = settings(options);
  const workers: Worker[] = [];
  // One FIFO per owner; the Map's order is the order owners are served in (an owner served goes to the back).
  const waiting = new Map<string, Job[]>();
  let queued = 0;
  /** Background runs (jobs), first come first served, started only when no interactive run waits. */
  const backgroundWaiting: Job[] = [];
  let backgroundActive = 0;
  /** Runs of each owner on a worker now. */
  const active = new Map<string, number>();
  /** When each owner's runs were to blame for a worker's death, within the quarantine window. */
  const strikes = new Map<string, number[]>();
  const affinity = new Map<string, Worker>();
  const waitingForReady: (() => void)[] = [];
  let nextId = 1;
  let completed = 0;
  let rejected = 0;
  let workerDeaths = 0;
  let averageRunMs = 50;
  let closed = false;

  const spawn = () => {
    const child = fork(WORKER_PATH, [JSON.stringify(s)], {
      execArgv: ['--no-node-snapshot'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let onExit = () => {};
    const worker: Worker = {
      child,
      pid: child.pid ?? 0,
      ready: false,
      jobs: new Map(),
      rss: 0,
      executing: [],
      exited: new Promise((resolve) => {
        onExit = resolve;
      }),
    };
    workers.push(worker);
    child.on('message', (message: FromWorker) => onMessage(worker, message));
    child.on('exit', () => {
      onWorkerExit(worker);
      onExit();
    });
    child.on('error', () => kill(worker, suspected(worker.executing, 'killed', 'The worker failed')));
  };

  const onMessage = (worker: Worker, message: FromWorker) => {
    switch (message.type) {
      case 'ready':
        worker.ready = true;
        if (workers.every((w) => w.ready)) for (const wake of waitingForReady.splice(0)) wake();
        pump();
        return;
      case 'log': {
        const job = worker.jobs.get(message.id);
        if (!job?.onLog) return;
        // A retried run sends its entries again from the first: only those not passed on yet go out.
        for (const entry of message.entries) if (job.seen++ === job.streamed) showLog(job, entry);
        return;
      }
      case 'result': {
        const job = worker.jobs.get(message.id);
        if (!job) return;
        leave(worker, job);
        settle(job, message.result);
        pump();
        return;
      }
      case 'health':
        worker.rss = message.rss;
        worker.executing = message.executing;
        if (message.rss > s.workerRssLimitMb * MB) {
          // Only a run inside its isolate can allocate, but which of several did cannot be read: isolate heap
          // statistics wait until the isolate is idle. One executing run is proven; several are suspects.
          const text = `The worker passed its ${s.workerRssLimitMb} MiB memory bound`;
          const [only, ...others] = message.executing;
          if (only !== undefined && others.length === 0) {
            kill(worker, { culprits: [only], suspects: [], status: 'memory', message: text });
          } else {
            kill(worker, suspected(message.executing, 'memory', text));
          }
        } else if (message.rss > (s.workerRssLimitMb * MB) / 2 && worker.jobs.size === 0 && worker.ready) {
          // Memory an acorn leaked past its limits only comes back with the process: replace it while it is idle.
          kill(worker, { culprits: [], suspects: [], status: 'killed', message: 'The worker was recycled' });
        }
        return;
      case 'catastrophic': {
        // v8 gives up on an isolate mostly when it runs out of memory past its limit (e.g. a Map filled in a loop).
        // The error names its isolate, and so the run that had it: the runs beside it are innocent.
        const status = /out.of.memory/i.test(message.message) ? 'memory' : 'killed';
        const text = `The isolate failed beyond recovery: ${message.message}`;
        if (message.culprit !== undefined) {
          kill(worker, { culprits: [message.culprit], suspects: [], status, message: text });
        } else {
          kill(worker, suspected(message.executing, status, text));
        }
        return;
      }
    }
  };

  const kill = (worker: Worker, cause: Cause) => {
    if (worker.cause) {
      // Another isolate failed the same way before the kill landed (two bombs side by side): proven as well.
      if (worker.cause.status === cause.status) worker.cause.culprits.push(...cause.culprits);
      return;
    }
    worker.cause = cause;
    worker.ready = false;
    worker.child.kill('SIGKILL');
  };

  const onWorkerExit = (worker: Worker) => {
    workers.splice(workers.indexOf(worker), 1);
    for (const [owner, w] of affinity) if (w === worker) affinity.delete(owner);
    workerDeaths++;
    // Not our kill (e.g. SIGKILL from outside): whoever was inside an isolate at the last health report is suspect.
    const cause = worker.cause ?? suspected(worker.executing, 'killed', 'The worker running the acorn died');
    const blamed = new Set<string>();
    for (const job of [...worker.jobs.values()].reverse()) {
      leave(worker, job);
      job.deaths++;
      const culprit = cause.culprits.includes(job.id);
      const suspect = cause.suspects.includes(job.id);
      // A deadline overrun costs its owner's own slot until the deadline, and honest runs overrun on a loaded
      // machine too: only the other deaths (memory, catastrophic, unexplained) count toward a quarantine.
      if ((culprit || suspect) && cause.status !== 'timeout') blamed.add(job.owner);
      if (closed) settle(job, lost(job, 'killed', cause.message));
      else if (culprit || (suspect && job.suspected)) settle(job, lost(job, cause.status, cause.message));
      else if (job.deaths >= MAX_DEATHS) settle(job, lost(job, 'killed', `${MAX_DEATHS} workers died under the acorn`));
      else {
        // Runs are pure: run it again, ahead of its owner's other waiting runs.
        job.suspected ||= suspect;
        enqueue(job, true);
      }
    }
    for (const owner of blamed) strike(owner);
    if (!closed) {
      // A worker that dies before it ever became ready would die again at once: do not spin.
      if (worker.ready || worker.cause) spawn();
      else setTimeout(() => closed || spawn(), 1000).unref();
    }
    pump();
  };

  const enqueue = (job: Job, first = false) => {
    if (job.background) {
      if (first) backgroundWaiting.unshift(job);
      else backgroundWaiting.push(job);
      return;
    }
    const jobs = waiting.get(job.owner) ?? [];
    if (first) jobs.unshift(job);
    else jobs.push(job);
    if (jobs.length === 1) waiting.set(job.owner, jobs);
    queued++;
  };

  /** The job is off its worker: its result came, or the worker died. */
  const leave = (worker: Worker, job: Job) => {
    clearTimeout(job.watchdog);
    job.worker = undefined;
    worker.jobs.delete(job.id);
    if (job.background) {
      backgroundActive--;
      return;
    }
    const n = (active.get(job.owner) ?? 1) - 1;
    if (n > 0) active.set(job.owner, n);
    else active.delete(job.owner);
  };

  /** The times of `owner`'s strikes still inside the quarantine window, oldest first. */
  const recentStrikes = (owner: string, now: number): number[] => {
    const recent = (strikes.get(owner) ?? []).filter((t) => t > now - s.quarantineWindowMs);
    strikes.delete(owner);
    if (recent.length > 0) strikes.set(owner, recent);
    return recent;
  };

  const strike = (owner: string) => {
    const now = Date.now();
    strikes.set(owner, [...recentStrikes(owner, now), now]);
    if (strikes.size > 10_000) strikes.delete(strikes.keys().next().value as string);
  };

  /** Seconds until `owner` may run again, or 0 when it is not quarantined. */
  const quarantined = (owner: string): number => {
    const now = Date.now();
    const recent = recentStrikes(owner, now);
    if (recent.length < s.quarantineAfterDeaths) return 0;
    // Free again once enough of these deaths have left the window.
    const oldest = recent[recent.length - s.quarantineAfterDeaths] as number;
    return Math.max(1, Math.ceil((oldest + s.quarantineWindowMs - now) / 1000));
  };

  const settle = (job: Job, result: RunResult | RunRejection | RunCancelled) => {
    clearTimeout(job.watchdog);
    if (job.done) return;
    job.done = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if ('status' in result) {
      completed++;
      averageRunMs = averageRunMs * 0.9 + result.wallMs * 0.1;
      // Whatever the live messages did not bring (none are lost over IPC, but a retry may log more), before resolving.
      for (let i = job.streamed; i < result.logs.length; i++) showLog(job, result.logs[i] as LogEntry);
    }
    job.resolve(result);
  };

  const showLog = (job: Job, entry: LogEntry) => {
    job.streamed++;
    try {
      job.onLog?.(entry);
    } catch {
      // The caller's callback failing must not take the supervisor down.
    }
  };

  /** The caller left: a waiting run leaves its queue; a running one's isolate is disposed and its slot freed now. */
  const cancel = (job: Job) => {
    if (job.done) return;
    const worker = job.worker;
    if (worker) {
      leave(worker, job);
      const message: ToWorker = { type: 'cancel', id: job.id };
      if (worker.child.connected && !worker.cause) worker.child.send(message);
    } else if (job.background) {
      const at = backgroundWaiting.indexOf(job);
      if (at >= 0) backgroundWaiting.splice(at, 1);
    } else {
      const jobs = waiting.get(job.owner);
      const at = jobs?.indexOf(job) ?? -1;
      if (jobs && at >= 0) {
        jobs.splice(at, 1);
        queued--;
        if (jobs.length === 0) waiting.delete(job.owner);
      }
    }
    settle(job, { cancelled: true });
    pump();
  };

  const pick = (owner: string): Worker | undefined => {
    const sticky = affinity.get(owner);
    if (sticky?.ready && sticky.jobs.size < s.runsPerWorker) return sticky;
    let best: Worker | undefined;
    for (const w of workers) {
      if (w.ready && w.jobs.size < s.runsPerWorker && (!best || w.jobs.size < best.jobs.size)) best = w;
    }
    if (best) {
      affinity.delete(owner);
      affinity.set(owner, best);
      if (affinity.size > 10_000) affinity.delete(affinity.keys().next().value as string);
    }
    return best;
  };

  const dispatch = (job: Job, worker: Worker) => {
    worker.jobs.set(job.id, job);
    job.worker = worker;
    job.seen = 0;
    if (job.background) backgroundActive++;
    else active.set(job.owner, (active.get(job.owner) ?? 0) + 1);
    job.watchdog = setTimeout(() => {
      const message = `The acorn ran past its ${job.plan.timeoutMs} ms deadline and its worker was killed`;
      kill(worker, { culprits: [job.id], suspects: [], status: 'timeout', message });
    }, job.plan.timeoutMs + s.killGraceMs);
    const message: ToWorker = { type: 'run', id: job.id, plan: job.plan };
    if (job.onLog) message.live = true;
    worker.child.send(message);
  };

  /** Starts waiting runs while slots are free: owners in turn, each below its cap, its runs in order. */
  const pump = () => {
    for (let served = true; served; ) {
      served = false;
      for (const [owner, jobs] of waiting) {
        if ((active.get(owner) ?? 0) >= s.maxRunsPerOwner) continue;
        const worker = pick(owner);
        if (!worker) return; // no free slot anywhere
        const job = jobs.shift() as Job;
        queued--;
        waiting.delete(owner);
        if (jobs.length > 0) waiting.set(owner, jobs); // to the back of the line
        dispatch(job, worker);
        served = true;
        break; // the Map changed: start again from the owner now first in line
      }
    }
    // Background runs get what is left (every interactive run that could start has), within their share of slots.
    while (backgroundWaiting.length > 0 && backgroundActive < s.backgroundSlots) {
      const job = backgroundWaiting[0] as Job;
      const worker = pick(job.owner);
      if (!worker) return;
      backgroundWaiting.shift();
      dispatch(job, worker);
    }
  };

  for (let i = 0; i < s.workers; i++) spawn();

  return {
    run: ((request: RunRequest, options: RunOptions = {}): Promise<RunResult | RunRejection | RunCancelled> => {
      const signal = options.signal;
      if (signal?.aborted) return Promise.resolve({ cancelled: true });
      if (closed) return Promise.resolve(lostBeforeStart('The sandbox is closed'));
      const limits = clampLimits(request.limits, s);
      const plan: RunPlan = {
        owner: request.owner,
        language: request.language,
        code: request.code,
        inputJson: request.input === undefined ? undefined : JSON.stringify(request.input),
        ...limits,
      };
      if (request.request) plan.request = request.request;
      if (request.acorns) plan.acorns = request.acorns;
      const owner = request.owner;
      const quarantinedFor = quarantined(owner);
      if (quarantinedFor > 0) {
        rejected++;
        return Promise.resolve({ rejected: 'owner-quarantined', retryAfterSeconds: quarantinedFor });
      }
      return new Promise((resolve) => {
        const job: Job = {
          id: nextId++,
          owner,
          plan,
          resolve,
          done: false,
          deaths: 0,
          suspected: false,
          startedAt: Date.now(),
          streamed: 0,
          seen: 0,
          background: options.background === true,
        };
        if (options.onLog) job.onLog = options.onLog;
        if (signal) {
          job.signal = signal;
          job.onAbort = () => cancel(job);
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        enqueue(job);
        pump();
        if (job.background) return; // the job engine bounds how many it sends
        const jobs = waiting.get(owner);
        if (jobs?.at(-1) !== job || (queued <= s.maxQueue && jobs.length <= s.maxQueuedPerOwner)) return;
        // It has to wait, and there is no room for it: take it back.
        jobs.pop();
        queued--;
        if (jobs.length === 0) waiting.delete(owner);
        rejected++;
        const concurrency = s.workers * s.runsPerWorker;
        const turns = Math.max(queued / concurrency, jobs.length / s.maxRunsPerOwner);
        const retryAfterSeconds = Math.max(1, Math.ceil((turns * averageRunMs) / 1000));
        settle(job, { rejected: 'queue-full', retryAfterSeconds });
      });
    }) as Sandbox['run'],
    ready() {
      if (closed || (workers.length > 0 && workers.every((w) => w.ready))) return Promise.resolve();
      return new Promise((resolve) => waitingForReady.push(resolve));
    },
    stats() {
      return {
        workers: workers.map((w) => ({
          pid: w.pid,
          ready: w.ready,
          running: w.jobs.size,
          rssMb: Math.round((w.rss / MB) * 10) / 10,
        })),
        queued,
        backgroundQueued: backgroundWaiting.length,
        backgroundRunning: backgroundActive,
        running: workers.reduce((n, w) => n + w.jobs.size, 0),
        completed,
        rejected,
        workerDeaths,
        rssLimitMb: s.workerRssLimitMb,
      };
    },
    async close() {
      closed = true;
      for (const jobs of waiting.values())
        for (const job of jobs) settle(job, lost(job, 'killed', 'The sandbox closed'));
      waiting.clear();
      queued = 0;
      for (const job of backgroundWaiting.splice(0)) settle(job, lost(job, 'killed', 'The sandbox closed'));
      const exits = workers.map((w) => w.exited);
      for (const w of workers) kill(w, { culprits: [], suspects: [], status: 'killed', message: 'The sandbox closed' });
      await Promise.all(exits);
      for (const wake of waitingForReady.splice(0)) wake();
    },
  };
}

/** No run is proven to have killed the worker: the ones executing are suspects. */
function suspected(executing: number[], status: RunStatus, message: string): Cause {
  return { culprits: [], suspects: executing, status, message };
}

function lost(job: Job, status: RunStatus, message: string): RunResult {
  const result = lostBeforeStart(message, status);
  result.wallMs = Date.now() - job.startedAt;
  return result;
}

function lostBeforeStart(message: string, status: RunStatus = 'killed'): RunResult {
  const name = status === 'timeout' ? 'TimeoutError' : status === 'memory' ? 'MemoryLimitError' : 'KilledError';
  return {
    status,
    preview: '',
    logs: [],
    error: { name, message, stack: '' },
    wallMs: 0,
    cpuMs: 0,
    truncated: { logs: false, value: false },
  };
}
