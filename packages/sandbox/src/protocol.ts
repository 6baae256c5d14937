// Messages between the supervisor and its worker processes (JSON over the fork IPC channel).
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import type { RunPlan } from './isolate-runner.ts';

export type ToWorker =
  /** `live`: send the run's log entries as they are written (`log` messages), not only in its result. */
  | { type: 'run'; id: number; plan: RunPlan; live?: boolean }
  /** Its caller left: dispose the run's isolate now. No result is expected (one that comes is ignored). */
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready' }
  /** Live logs of a run sent with `live`, in order; every entry of its result's logs comes this way first. */
  | { type: 'log'; id: number; entries: LogEntry[] }
  | { type: 'result'; id: number; result: RunResult }
  /** Sent every HEALTH_INTERVAL_MS: resident memory, and which runs are inside their isolate right now. */
  | { type: 'health'; rss: number; executing: number[] }
  /** `culprit`: the run whose isolate failed, when one had it; `executing`: who was inside an isolate then. */
  | { type: 'catastrophic'; message: string; culprit?: number; executing: number[] };

export const HEALTH_INTERVAL_MS = 50;
