// Messages between the supervisor and its worker processes (JSON over the fork IPC channel).
import type { RunResult } from '@squirrelbin/schemas';
import type { RunPlan } from './isolate-runner.ts';

export type ToWorker = { type: 'run'; id: number; plan: RunPlan };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: RunResult }
  /** Sent every HEALTH_INTERVAL_MS: resident memory, and which runs are inside their isolate right now. */
  | { type: 'health'; rss: number; executing: number[] }
  /** `culprit`: the run whose isolate failed, when one had it; `executing`: who was inside an isolate then. */
  | { type: 'catastrophic'; message: string; culprit?: number; executing: number[] };

export const HEALTH_INTERVAL_MS = 50;
