// The supervisor: a pool of worker processes, a bounded FIFO queue in front of them, and the last line of defence.
// It kills a worker whose run overstays its deadline, whose memory passes the bound, or which reports a
// catastrophic error, then replaces it; runs of other owners caught in a dead worker are retried once elsewhere.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunResult, RunStatus } from '@squirrelbin/schemas';
import { clampLimits, type RunRequest, type SandboxOptions, type Settings, settings } from './config.ts';
import type { RunPlan } from './isolate-runner.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export type RunRejection = { rejected: 'queue-full'; retryAfterSeconds: number };

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
  running: number;
  completed: number;
  rejected: number;
  /** Workers killed or lost since the start. */
  workerDeaths: number;
  rssLimitMb: number;
}

export interface Sandbox {
  /** Runs an acorn in a worker; resolves with its result, or with a rejection when the queue is full. */
  run(request: RunRequest): Promise<RunResult | RunRejection>;
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
  resolve: (result: RunResult | RunRejection) => void;
  attempts: number;
  startedAt: number;
  watchdog?: NodeJS.Timeout;
}

interface Cause {
  /** The runs that brought the worker down, and the status they get; the other runs are retried. */
  culprits: number[];
  status: RunStatus;
  message: string;
}

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
  const s: Settings = settings(options);
  const workers: Worker[] = [];
  const queue: Job[] = [];
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
    child.on('error', () => kill(worker, { culprits: [], status: 'killed', message: 'The worker failed' }));
  };

  const onMessage = (worker: Worker, message: FromWorker) => {
    switch (message.type) {
      case 'ready':
        worker.ready = true;
        if (workers.every((w) => w.ready)) for (const wake of waitingForReady.splice(0)) wake();
        pump();
        return;
      case 'result': {
        const job = worker.jobs.get(message.id);
        if (!job) return;
        worker.jobs.delete(message.id);
        settle(job, message.result);
        pump();
        return;
      }
      case 'health':
        worker.rss = message.rss;
        worker.executing = message.executing;
        if (message.rss > s.workerRssLimitMb * MB) {
          const text = `The worker passed its ${s.workerRssLimitMb} MiB memory bound`;
          kill(worker, { culprits: message.executing, status: 'memory', message: text });
        } else if (message.rss > (s.workerRssLimitMb * MB) / 2 && worker.jobs.size === 0 && worker.ready) {
          // Memory an acorn leaked past its limits only comes back with the process: replace it while it is idle.
          kill(worker, { culprits: [], status: 'killed', message: 'The worker was recycled' });
        }
        return;
      case 'catastrophic':
        // v8 gives up on an isolate mostly when it runs out of memory past its limit (e.g. a Map filled in a loop).
        kill(worker, {
          culprits: message.executing,
          status: /out.of.memory/i.test(message.message) ? 'memory' : 'killed',
          message: `The isolate failed beyond recovery: ${message.message}`,
        });
        return;
    }
  };

  const kill = (worker: Worker, cause: Cause) => {
    if (worker.cause) return;
    worker.cause = cause;
    worker.ready = false;
    worker.child.kill('SIGKILL');
  };

  const onWorkerExit = (worker: Worker) => {
    workers.splice(workers.indexOf(worker), 1);
    for (const [owner, w] of affinity) if (w === worker) affinity.delete(owner);
    workerDeaths++;
    // Not our kill (e.g. SIGKILL from outside): blame whoever was inside an isolate at the last health report.
    const cause = worker.cause ?? {
      culprits: worker.executing,
      status: 'killed' as const,
      message: 'The worker running the acorn died',
    };
    const retry: Job[] = [];
    for (const job of worker.jobs.values()) {
      clearTimeout(job.watchdog);
      if (cause.culprits.includes(job.id) || job.attempts >= 2 || closed) {
        settle(job, lost(job, cause.culprits.includes(job.id) ? cause.status : 'killed', cause.message));
      } else {
        retry.push(job);
      }
    }
    queue.unshift(...retry);
    if (!closed) {
      // A worker that dies before it ever became ready would die again at once: do not spin.
      if (worker.ready || worker.cause) spawn();
      else setTimeout(() => closed || spawn(), 1000).unref();
    }
    pump();
  };

  const settle = (job: Job, result: RunResult | RunRejection) => {
    clearTimeout(job.watchdog);
    if ('status' in result) {
      completed++;
      averageRunMs = averageRunMs * 0.9 + result.wallMs * 0.1;
    }
    job.resolve(result);
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
    job.attempts++;
    worker.jobs.set(job.id, job);
    job.watchdog = setTimeout(() => {
      const message = `The acorn ran past its ${job.plan.timeoutMs} ms deadline and its worker was killed`;
      kill(worker, { culprits: [job.id], status: 'timeout', message });
    }, job.plan.timeoutMs + s.killGraceMs);
    const message: ToWorker = { type: 'run', id: job.id, plan: job.plan };
    worker.child.send(message);
  };

  const pump = () => {
    while (queue.length > 0) {
      const job = queue[0] as Job;
      const worker = pick(job.owner);
      if (!worker) return;
      queue.shift();
      dispatch(job, worker);
    }
  };

  for (let i = 0; i < s.workers; i++) spawn();

  return {
    run(request) {
      if (closed) return Promise.resolve(lostBeforeStart('The sandbox is closed'));
      const limits = clampLimits(request.limits, s);
      const plan: RunPlan = {
        owner: request.owner,
        language: request.language,
        code: request.code,
        inputJson: request.input === undefined ? undefined : JSON.stringify(request.input),
        ...limits,
      };
      return new Promise((resolve) => {
        const job: Job = { id: nextId++, owner: request.owner, plan, resolve, attempts: 0, startedAt: Date.now() };
        const worker = queue.length === 0 ? pick(job.owner) : undefined;
        if (worker) dispatch(job, worker);
        else if (queue.length < s.maxQueue) queue.push(job);
        else {
          rejected++;
          const concurrency = s.workers * s.runsPerWorker;
          const retryAfterSeconds = Math.max(1, Math.ceil((queue.length * averageRunMs) / concurrency / 1000));
          resolve({ rejected: 'queue-full', retryAfterSeconds });
        }
      });
    },
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
        queued: queue.length,
        running: workers.reduce((n, w) => n + w.jobs.size, 0),
        completed,
        rejected,
        workerDeaths,
        rssLimitMb: s.workerRssLimitMb,
      };
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) settle(job, lost(job, 'killed', 'The sandbox closed'));
      const exits = workers.map((w) => w.exited);
      for (const w of workers) kill(w, { culprits: [], status: 'killed', message: 'The sandbox closed' });
      await Promise.all(exits);
      for (const wake of waitingForReady.splice(0)) wake();
    },
  };
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
