// Runs acorns in isolates of the current process, for AWS Lambda where each invocation already has a process of
// its own. Nothing here can kill a runaway isolate's process, so the caller must end the process when told to.
import type { RunResult } from '@squirrelbin/schemas';
import { clampLimits, poolOptions, type RunRequest, type SandboxOptions, settings } from './config.ts';
import { createCpuMeter } from './cpu-meter.ts';
import { IsolatePool } from './isolate-pool.ts';
import { type RunPlan, runAcorn } from './isolate-runner.ts';
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
  run(request: RunRequest): Promise<RunResult>;
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
    async run(request) {
      await warm;
      const plan: RunPlan = {
        owner: request.owner,
        language: request.language,
        code: request.code,
        inputJson: request.input === undefined ? undefined : JSON.stringify(request.input),
        ...clampLimits(request.limits, s),
      };
      if (request.request) plan.request = request.request;
      if (request.acorns) plan.acorns = request.acorns;
      return runAcorn(pool, meter, plan, { strip: stripInProcess });
    },
    get mustExit() {
      return catastrophic || strippingBroken() || process.memoryUsage.rss() > s.workerRssLimitMb * 1024 * 1024;
    },
    close: () => pool.close(),
  };
}
