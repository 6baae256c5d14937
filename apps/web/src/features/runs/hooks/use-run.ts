import type { Language, RunHttpRequest, RunResult } from '@squirrelbin/schemas';
import { useMutation } from '@tanstack/react-query';
import { runAcorn } from '../api/run-acorn';
import { runCode } from '../api/run-code';

export type RunRequest =
  | { kind: 'code'; language: Language; code: string; input?: unknown }
  | { kind: 'acorn'; id: string; input?: unknown }
  /** The code in the editor called as an endpoint handler with a request (nothing recorded). */
  | { kind: 'endpoint'; language: Language; code: string; request: RunHttpRequest };

/**
 * One run action for the editors: the saved acorn when nothing changed, otherwise the code as typed; an endpoint
 * acorn's code as a handler.
 */
export function useRun() {
  return useMutation<RunResult, Error, RunRequest>({
    mutationFn: (request) => {
      if (request.kind === 'endpoint') {
        return runCode({ language: request.language, code: request.code, request: request.request });
      }
      const input = request.input === undefined ? {} : { input: request.input };
      return request.kind === 'acorn'
        ? runAcorn(request.id, input)
        : runCode({ language: request.language, code: request.code, ...input });
    },
  });
}
