import type { RunAcornBody, RunResult } from '@squirrelbin/schemas';
import { type RunStreamOptions, streamRun } from './stream-run';

/** Runs the saved version of an acorn, its logs handed to `options.onLog` as they happen. */
export function runAcorn(id: string, body: RunAcornBody, options?: RunStreamOptions): Promise<RunResult> {
  return streamRun(`/api/acorns/${encodeURIComponent(id)}/run`, body, options);
}
