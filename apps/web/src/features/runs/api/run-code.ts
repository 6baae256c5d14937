import type { RunCodeBody, RunResult } from '@squirrelbin/schemas';
import { type RunStreamOptions, streamRun } from './stream-run';

/**
 * Runs unsaved code (the scratch editor, or an edited acorn before it is saved), its logs handed to
 * `options.onLog` as they happen.
 */
export function runCode(body: RunCodeBody, options?: RunStreamOptions): Promise<RunResult> {
  return streamRun('/api/run', body, options);
}
