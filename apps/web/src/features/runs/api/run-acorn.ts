import type { RunAcornBody, RunResult } from '@squirrelbin/schemas';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Runs the saved version of an acorn. */
export function runAcorn(id: string, body: RunAcornBody): Promise<RunResult> {
  return api<RunResult>(`/api/acorns/${encodeURIComponent(id)}/run`, { method: 'POST', body });
}

export function useRunAcorn() {
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: RunAcornBody }) => runAcorn(id, body) });
}
