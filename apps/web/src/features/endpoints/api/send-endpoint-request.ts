/**
 * The request tester's Send. `live`: the real `/x/{id}` with fetch, as any client would call it (recorded as an
 * invocation, counted in the acorn's traffic). `draft`: the code in the editor, called as a handler through
 * `POST /api/run` with `request` (nothing recorded). Both answer an EndpointReply.
 */
import type { HttpHeaderList, Language, RunResult } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api-client';
import { base64ToBytes, type EndpointReply, headerValue } from '../endpoint-reply';
import { handlerRequest, methodHasBody } from '../endpoint-request';
import { endpointKeys } from './query-keys';

export type EndpointTarget = { kind: 'live' } | { kind: 'draft'; language: Language; code: string };

export interface EndpointRequestInput {
  target: EndpointTarget;
  /** The saved acorn, whose invocations and traffic a live call changes. */
  acornId?: string;
  method: string;
  /** Absolute: `${origin}/x/{id}/path?query`. */
  url: string;
  headers: HttpHeaderList;
  /** Ignored for GET and HEAD. */
  body: string;
  knownInvocations?: ReadonlySet<string>;
}

export function sendEndpointRequest(input: EndpointRequestInput, signal?: AbortSignal): Promise<EndpointReply> {
  return input.target.kind === 'live' ? callLive(input, signal) : runDraft(input, input.target, signal);
}

async function callLive(input: EndpointRequestInput, signal?: AbortSignal): Promise<EndpointReply> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: input.method,
      headers: input.headers,
      body: methodHasBody(input.method) && input.body !== '' ? input.body : undefined,
      // Only what was typed goes out: never the stored key (the acorn would see it), never cookies.
      credentials: 'omit',
      cache: 'no-store',
      // A page cannot read a redirect; following one would show some other page's answer as the endpoint's.
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', `Could not call the endpoint: ${(error as Error).message}`);
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = [...response.headers] as [string, string][];
  const runStatus = headerValue(headers, 'x-run-status');
  const wallMs = headerValue(headers, 'x-run-wall-ms');
  return {
    mode: 'live',
    method: input.method,
    url: input.url,
    status: response.type === 'opaqueredirect' ? null : response.status,
    headers,
    body,
    runStatus: isRunStatus(runStatus) ? runStatus : null,
    wallMs: wallMs === null || wallMs === '' || Number.isNaN(Number(wallMs)) ? null : Number(wallMs),
    cpuMs: null,
    roundTripMs: performance.now() - started,
    logs: null,
    logsTruncated: false,
    error: null,
    redirect: response.type === 'opaqueredirect',
    knownInvocations: input.knownInvocations ?? new Set(),
  };
}

async function runDraft(
  input: EndpointRequestInput,
  draft: Extract<EndpointTarget, { kind: 'draft' }>,
  signal?: AbortSignal,
): Promise<EndpointReply> {
  const started = performance.now();
  const result = await api<RunResult>('/api/run', {
    method: 'POST',
    body: {
      language: draft.language,
      code: draft.code,
      request: handlerRequest(input.method, input.url, input.headers, input.body),
    },
    signal,
  });
  const response = result.status === 'ok' ? result.response : undefined;
  return {
    mode: 'draft',
    method: input.method,
    url: input.url,
    // A failed run is what the live endpoint answers 504 (deadline) or 502 (anything else) for.
    status: response ? response.status : result.status === 'ok' ? null : result.status === 'timeout' ? 504 : 502,
    headers: response?.headers ?? [],
    body: response ? base64ToBytes(response.bodyBase64) : new Uint8Array(),
    runStatus: result.status,
    wallMs: result.wallMs,
    cpuMs: result.cpuMs,
    roundTripMs: performance.now() - started,
    logs: result.logs,
    logsTruncated: result.truncated.logs,
    error: result.error ?? null,
    redirect: false,
    knownInvocations: new Set(),
  };
}

const runStatuses = new Set(['ok', 'error', 'timeout', 'memory', 'killed']);
const isRunStatus = (value: string | null): value is RunResult['status'] => value !== null && runStatuses.has(value);

/** Send; a live call refreshes the acorn's invocations and traffic. */
export function useSendEndpointRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: EndpointRequestInput) => sendEndpointRequest(input),
    onSuccess: (reply, input) => {
      if (reply.mode !== 'live' || !input.acornId) return;
      void queryClient.invalidateQueries({ queryKey: endpointKeys.invocationsOf(input.acornId) });
      void queryClient.invalidateQueries({ queryKey: endpointKeys.metricsOf(input.acornId) });
    },
  });
}
