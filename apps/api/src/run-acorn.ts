/** What both run routes share: input and rate checks, the owner of the run, and the answer. */
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
 * The input's size, measured on the parsed body before any schema walks it: a JSON.stringify of at most a run
 * body's bound is well under a millisecond.
 */
function checkInputSize(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || !('input' in raw) || raw.input === undefined) return;
  let bytes: number;
  try {
    bytes = utf8Bytes(JSON.stringify(raw.input));
  } catch {
    // Only nesting deep enough to overflow the stack gets here.
    throw new ApiProblem('validation-failed', 'The input is nested too deeply', {
      errors: [{ path: 'input', message: 'nested too deeply' }],
    });
  }
  if (bytes > fieldLimits.inputMaxBytes) {
    throw new ApiProblem(
      'input-too-large',
      `The input is ${bytes} bytes of JSON; the limit is ${fieldLimits.inputMaxBytes}`,
    );
  }
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
  const result = await runner.run({
    owner,
    language: run.language,
    code: run.code,
    input: run.input,
    limits: limitsFor(c, run.limits),
    ...(run.request ? { request: run.request } : {}),
    ...(acorns ? { acorns } : {}),
  });
  if ('rejected' in result) {
    c.set('runOutcome', 'rejected');
    const headers = { 'Retry-After': String(result.retryAfterSeconds) };
    if (result.rejected === 'owner-quarantined') {
      // This owner's runs kept killing workers: refused for a while, so nobody else's runs die with them.
      throw new ApiProblem('rate-limited', 'Your recent runs brought down sandbox workers; wait a little', { headers });
    }
    throw new ApiProblem('run-queue-full', 'Every sandbox is busy and the queue is full', { headers });
  }
  c.set('runOutcome', result.status);
  c.header('Cache-Control', 'no-store');
  return c.json(result satisfies RunResult);
}
