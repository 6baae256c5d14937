import type { Language, RunHttpRequest, RunResult } from '@squirrelbin/schemas';
import { useMutation } from '@tanstack/react-query';
import { runAcorn } from '../api/run-acorn';
import { runCode } from '../api/run-code';
import type { RunStreamOptions } from '../api/stream-run';

export type RunRequest =
  | { kind: 'code'; language: Language; code: string; input?: unknown }
  | { kind: 'acorn'; id: string; input?: unknown }
  /** The code in the editor called as an endpoint handler with a request (nothing recorded). */
  | { kind: 'endpoint'; language: Language; code: string; request: RunHttpRequest };

function send(request: RunRequest, options: RunStreamOptions): Promise<RunResult> {
  if (request.kind === 'endpoint') {
    return runCode({ language: request.language, code: request.code, request: request.request }, options);
  }
  const input = request.input === undefined ? {} : { input: request.input };
  return request.kind === 'acorn'
    ? runAcorn(request.id, input, options)
    : runCode({ language: request.language, code: request.code, ...input }, options);
}

/**
 * One run action for the editors: the saved acorn when nothing changed, otherwise the code as typed; an endpoint
 * acorn's code as a handler. A run stopped through `options.signal` ends with no result (undefined), not an error.
 */
export function useRun() {
  return useMutation<RunResult | undefined, Error, { request: RunRequest; options: RunStreamOptions }>({
    mutationFn: async ({ request, options }) => {
      try {
        const result = await send(request, options);
        return options.signal?.aborted ? undefined : result;
      } catch (error) {
        if (options.signal?.aborted) return undefined;
        throw error;
      }
    },
  });
}
