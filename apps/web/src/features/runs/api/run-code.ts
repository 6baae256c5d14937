import type { RunCodeBody, RunResult } from '@squirrelbin/schemas';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Runs unsaved code (the scratch editor, or an edited acorn before it is saved). */
export function runCode(body: RunCodeBody): Promise<RunResult> {
  return api<RunResult>('/api/run', { method: 'POST', body });
}

export function useRunCode() {
  return useMutation({ mutationFn: runCode });
}
