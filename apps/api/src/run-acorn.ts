/** What both run routes share: input and rate checks, the owner of the run, and the answer. */
import { fieldLimits, type Language, type RunLimits, type RunResult, utf8Bytes } from '@squirrelbin/schemas';
import type { Context } from 'hono';
import type { AppEnv } from './deps.ts';
import { checkCodeSize } from './middleware/body.ts';
import { ApiProblem } from './problem.ts';

export interface RunInput {
  language: Language;
  code: string;
  input?: unknown;
  limits?: RunLimits | undefined;
}

/** Isolates are pooled per owner: the identity, or the client address for runs without a key. */
const ownerOf = (c: Context<AppEnv>) => {
  const identity = c.get('identity');
  return identity ? `id:${identity.id}` : `ip:${c.var.deps.clientAddress(c)}`;
};

export async function runAndRespond(c: Context<AppEnv>, run: RunInput): Promise<Response> {
  checkCodeSize(run.code, fieldLimits.codeMaxBytes);
  if (run.input !== undefined && utf8Bytes(JSON.stringify(run.input)) > fieldLimits.inputMaxBytes) {
    throw new ApiProblem('input-too-large', `The input is over ${fieldLimits.inputMaxBytes} bytes of JSON`);
  }
  const { runner, runLimiter } = c.var.deps;
  const owner = ownerOf(c);
  const wait = runLimiter.take(owner);
  if (wait > 0) {
    c.set('runOutcome', 'rejected');
    throw new ApiProblem('rate-limited', 'Too many runs; wait a little', { headers: { 'Retry-After': String(wait) } });
  }
  const result = await runner.run({
    owner,
    language: run.language,
    code: run.code,
    input: run.input,
    limits: run.limits,
  });
  if ('rejected' in result) {
    c.set('runOutcome', 'rejected');
    throw new ApiProblem('run-queue-full', 'Every sandbox is busy and the queue is full', {
      headers: { 'Retry-After': String(result.retryAfterSeconds) },
    });
  }
  c.set('runOutcome', result.status);
  c.header('Cache-Control', 'no-store');
  return c.json(result satisfies RunResult);
}
