/** What both run routes share: input and rate checks, the owner of the run, and the answer. */
import type { RunCancelled, RunRejection } from '@squirrelbin/sandbox';
import { fieldLimits, type Language, type RunLimits, type RunResult, utf8Bytes } from '@squirrelbin/schemas';
import type { Identity } from '@squirrelbin/store';
import type { Context } from 'hono';
import type { z } from 'zod';
import { resolveAcornImports } from './acorn-imports.ts';
import type { AppEnv } from './deps.ts';
import type { EndpointRequest } from './endpoint.ts';
import { checkCodeSize, readJson } from './middleware/body.ts';
import { ApiProblem } from './problem.ts';
import { type RateLimiter, takeOrRefuse } from './rate-limit.ts';
import { LogRelay, wantsEventStream } from './run-stream.ts';

export interface RunInput {
  language: Language;
  code: string;
  input?: unknown;
  limits?: RunLimits | undefined;
  /** Call the code as an endpoint handler with this request (the editor's tester). */
  request?: EndpointRequest | undefined;
}

/** Isolates are pooled per owner: the identity, or the client address for runs without a key. */
const ownerOf = (c: Context<AppEnv>) => {
  const identity = c.get('identity');
  return identity ? `id:${identity.id}` : `ip:${c.var.deps.clientAddress(c)}`;
};

/** Identities are free, so a young one shares its address's run budget with anonymous callers. */
const NEW_IDENTITY_MS = 10 * 60_000;
const countsPerAddress = (identity: Identity | undefined, now = Date.now()) =>
  !identity || now - Date.parse(identity.createdAt) < NEW_IDENTITY_MS;

/** Anonymous callers get a lower maximum deadline: a slot they hold is one nobody can be told to wait for. */
function limitsFor(c: Context<AppEnv>, limits: RunLimits | undefined): RunLimits | undefined {
  if (c.get('identity')) return limits;
  const max = c.var.deps.config.run.anonymousMaxTimeoutMs;
  if (limits?.timeoutMs === undefined || limits.timeoutMs <= max) return limits;
  return { ...limits, timeoutMs: max };
}

/** Slack in a run body's bound for JSON escapes in the code, `limits` and whitespace. */
const RUN_BODY_SLACK = 16 * 1024;
/** The run routes' own body bounds (DESIGN.md: bodies are bounded per route before parsing). */
export const runBodyMaxBytes = {
  code: fieldLimits.codeMaxBytes + fieldLimits.inputMaxBytes + RUN_BODY_SLACK,
  acorn: fieldLimits.inputMaxBytes + RUN_BODY_SLACK,
};

/**
 * An input's size as JSON, measured on the parsed body before any schema walks it (a JSON.stringify of at most a
 * body's bound is well under a millisecond): 413 over the run input limit, 400 when nested too deeply to measure.
 * `name` says which input, in the messages.
 */
export function checkInputBytes(value: unknown, name = 'input'): void {
  if (value === undefined) return;
  let bytes: number;
  try {
    bytes = utf8Bytes(JSON.stringify(value));
  } catch {
    // Only nesting deep enough to overflow the stack gets here.
    throw new ApiProblem('validation-failed', `The ${name} is nested too deeply`, {
      errors: [{ path: name, message: 'nested too deeply' }],
    });
  }
  if (bytes > fieldLimits.inputMaxBytes) {
    throw new ApiProblem(
      'input-too-large',
      `The ${name} is ${bytes} bytes of JSON; the limit is ${fieldLimits.inputMaxBytes}`,
    );
  }
}

function checkInputSize(raw: unknown): void {
  if (typeof raw === 'object' && raw !== null && 'input' in raw) checkInputBytes(raw.input);
}

/** A run route's body: its input measured before the schema walks it. */
export function readRunBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S, { optional = false } = {}) {
  return readJson(c, schema, { optional, precheck: checkInputSize });
}

export async function runAndRespond(c: Context<AppEnv>, run: RunInput): Promise<Response> {
  // The input was measured once, when the body was read (readRunBody).
  checkCodeSize(run.code, fieldLimits.codeMaxBytes);
  const { runner, runLimiter, runAddressLimiter, clientAddress } = c.var.deps;
  const owner = ownerOf(c);
  const buckets: [RateLimiter, string][] = [[runLimiter, owner]];
  if (countsPerAddress(c.get('identity'))) buckets.push([runAddressLimiter, clientAddress(c)]);
  try {
    await takeOrRefuse('Too many runs; wait a little', ...buckets);
  } catch (error) {
    c.set('runOutcome', 'rejected');
    throw error;
  }
  // Acorns it imports are read with the caller's access (none for a run without a key).
  const acorns = await resolveAcornImports(run.code, c.get('identity'), c.var.deps.store, c.var.deps.acornCache);
  const request = {
    owner,
    language: run.language,
    code: run.code,
    input: run.input,
    limits: limitsFor(c, run.limits),
    ...(run.request ? { request: run.request } : {}),
    ...(acorns ? { acorns } : {}),
  };
  // A client that leaves ends its run at once, streamed or not: its slot goes to the next run.
  const abort = new AbortController();
  const left = () => abort.abort();
  c.req.raw.signal.addEventListener('abort', left, { once: true });
  const streaming = wantsEventStream(c);
  const relay = streaming ? new LogRelay() : undefined;
  const running = runner.run(request, { signal: abort.signal, ...(relay ? { onLog: relay.onLog } : {}) });
  running.finally(() => c.req.raw.signal.removeEventListener('abort', left)).catch(() => {});
  // A refusal (queue full, quarantine) comes at once: it is an ordinary problem, streamed or not.
  const early = await Promise.race([
    running,
    new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
  ]);
  // A refusal, or no stream asked for: an ordinary answer. (A run cannot be over before the stream starts.)
  if (!relay || (early && !('status' in early))) return answer(c, await running);
  const finished = running.then((result) => settle(c, result));
  c.set('settled', finished);
  return relay.response(finished, left);
}

/** How the run ended, for metrics; the result to send, if any. */
function settle(c: Context<AppEnv>, result: RunResult | RunRejection | RunCancelled): RunResult | undefined {
  if ('cancelled' in result) {
    c.set('runOutcome', 'cancelled');
    return undefined;
  }
  if ('rejected' in result) {
    c.set('runOutcome', 'rejected');
    return undefined;
  }
  c.set('runOutcome', result.status);
  return result;
}

function answer(c: Context<AppEnv>, result: RunResult | RunRejection | RunCancelled): Response {
  if (!('status' in result)) return refusedOrLeft(c, result);
  c.set('runOutcome', result.status);
  c.header('Cache-Control', 'no-store');
  return c.json(result satisfies RunResult);
}

/**
 * A run that never produced a result, for every route that runs acorns: the queue's refusal is a problem with
 * `Retry-After` (429 for an owner whose runs kept killing workers, refused for a while so nobody else's runs die with
 * them; 503 when every slot is busy); a run its caller left is a 499, "client closed request", that nobody reads.
 */
export function refusedOrLeft(
  c: Context<AppEnv>,
  result: RunRejection | RunCancelled,
  whose = { runs: 'Your recent runs', sandboxes: 'Every sandbox' },
): Response {
  if ('cancelled' in result) {
    c.set('runOutcome', 'cancelled');
    return new Response(null, { status: 499 });
  }
  c.set('runOutcome', 'rejected');
  const headers = { 'Retry-After': String(result.retryAfterSeconds) };
  if (result.rejected === 'owner-quarantined') {
    throw new ApiProblem('rate-limited', `${whose.runs} brought down sandbox workers; wait a little`, { headers });
  }
  throw new ApiProblem('run-queue-full', `${whose.sandboxes} is busy and the queue is full`, { headers });
}
