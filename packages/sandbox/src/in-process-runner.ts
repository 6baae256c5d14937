// Runs acorns in isolates of the current process, for AWS Lambda where each invocation already has a process of
// its own. Nothing here can kill a runaway isolate's process, so the caller must end the process when told to.
import type { RunResult } from '@squirrelbin/schemas';
import {
  clampLimits,
  poolOptions,
  type RunCancelled,
  type RunOptions,
  type RunRequest,
  type SandboxOptions,
  settings,
} from './config.ts';
import { createCpuMeter } from './cpu-meter.ts';
import { IsolatePool } from './isolate-pool.ts';
import { type AcornRunOptions, type RunPlan, runAcorn } from './isolate-runner.ts';
import { stripInProcess, strippingBroken, warmInProcess } from './strip.ts';

export interface InProcessRunnerOptions
  extends Omit<
    SandboxOptions,
    | 'workers'
    | 'runsPerWorker'
    | 'maxQueue'
    | 'maxRunsPerOwner'
    | 'maxQueuedPerOwner'
    | 'quarantineAfterDeaths'
    | 'quarantineWindowMs'
    | 'killGraceMs'
  > {
  /** v8 lost control of an isolate. The process must exit (after answering, if it can). */
  onCatastrophicError?: (message: string) => void;
}

export interface InProcessRunner {
  /** `options`: live logs and cancellation, as `Sandbox.run` (a cancelled run's isolate is disposed). */
  run(request: RunRequest): Promise<RunResult>;
  run(request: RunRequest, options?: RunOptions): Promise<RunResult | RunCancelled>;
  /**
   * True once this process should be replaced: after a catastrophic error, after the TypeScript stripper failed in
   * a way that may have broken it, or when its resident memory passed `workerRssLimitMb` (memory an acorn leaked
   * past its limits that only ending the process gives back).
   */
  readonly mustExit: boolean;
  close(): void;
}

export function createInProcessRunner(options: InProcessRunnerOptions = {}): InProcessRunner {
  const s = settings({ ...options, workers: 1 });
  let catastrophic = false;
  const pool = new IsolatePool(
    poolOptions(s, (message) => {
      catastrophic = true;
      options.onCatastrophicError?.(message);
    }),
  );
  const meter = createCpuMeter();
  // TypeScript is stripped in this process (a thread would need files beside the Lambda bundle); Node's stripper
  // loads right after this (it blocks ~0.3 s), and a run waits for it before its deadline starts, as a worker
  // process loads it before it takes runs.
  const warm = new Promise<void>((resolve) =>
    setImmediate(() => {
      warmInProcess();
      resolve();
    }),
  );
  return {
    run: (async (request: RunRequest, options: RunOptions = {}): Promise<RunResult | RunCancelled> => {
      const { signal, onLog } = options;
      if (signal?.aborted) return { cancelled: true };
      await warm;
      if (signal?.aborted) return { cancelled: true };
      const plan: RunPlan = {
        owner: request.owner,
        language: request.language,
        code: request.code,
        inputJson: request.input === undefined ? undefined : JSON.stringify(request.input),
        ...clampLimits(request.limits, s),
      };
      if (request.request) plan.request = request.request;
      if (request.acorns) plan.acorns = request.acorns;
      if (!signal && !onLog) return runAcorn(pool, meter, plan, { strip: stripInProcess });
      const runOptions: AcornRunOptions = { strip: stripInProcess };
      if (signal) runOptions.signal = signal;
      if (onLog) {
        runOptions.onLog = (entries) => {
          for (const entry of entries) {
            if (signal?.aborted) return;
            try {
              onLog(entry);
            } catch {
              // The caller's callback failing must not end the run.
            }
          }
        };
      }
      const running = runAcorn(pool, meter, plan, runOptions);
      if (!signal) return running;
      // Resolved at once on abort; the run disposes its isolate and finishes by itself.
      let onAbort = () => {};
      const aborted = new Promise<RunCancelled>((resolve) => {
        onAbort = () => resolve({ cancelled: true });
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const result = await Promise.race([running, aborted]);
        return signal.aborted ? { cancelled: true } : result;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }) as InProcessRunner['run'],
    get mustExit() {
      return catastrophic || strippingBroken() || process.memoryUsage.rss() > s.workerRssLimitMb * 1024 * 1024;
    },
    close: () => pool.close(),
  };
}
