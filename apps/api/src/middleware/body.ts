/** Request bodies: size limit before anything is read (413), then media type (415), JSON (400) and schema (400). */
import { utf8Bytes } from '@squirrelbin/schemas';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

/** How much of an oversized body is read and thrown away so the client, done sending, can read its 413. */
const DISCARD_MAX_BYTES = 16 * 1024 * 1024;
const DISCARD_MAX_MS = 5_000;

/**
 * The body bound: the route's own (`spec.body.maxBytes`) or the server-wide one. A declared Content-Length over it
 * is refused before a byte is read; a streamed body is counted as it arrives. Either way the rest is drained (up to
 * a bound) before answering: a server that answers and closes while the client still sends makes the client fail
 * with EPIPE instead of reading the 413.
 */
export const bodyLimit =
  (serverMaxBytes: number): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
    if (encoding && encoding !== 'identity' && !c.get('bodyRaw')) {
      await discard(body.getReader());
      throw new ApiProblem(
        'unsupported-media-type',
        `Content-Encoding ${encoding} is not supported; send the body as is`,
      );
    }
    const maxBytes = Math.min(c.get('bodyLimit') ?? serverMaxBytes, serverMaxBytes);
    const tooLarge = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      await discard(reader);
      throw new ApiProblem('body-too-large', `The body is over ${maxBytes} bytes`, {
        headers: { Connection: 'close' },
      });
    };
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(declared) > maxBytes) await tooLarge(body.getReader());
      return next();
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) await tooLarge(reader);
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    return next();
  };

/** Reads and drops what is left of a body, up to a size and time bound; then the connection is closed anyway. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let size = 0;
  const deadline = Date.now() + DISCARD_MAX_MS;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, DISCARD_MAX_MS, 'timeout').unref());
  try {
    while (size <= DISCARD_MAX_BYTES && Date.now() < deadline) {
      const step = await Promise.race([reader.read(), timeout]);
      if (step === 'timeout' || step.done) break;
      size += step.value.length;
    }
  } catch {
    // The client went away: nothing left to read.
  }
  reader.cancel().catch(() => {});
}

const jsonMediaType = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * Reads and validates a JSON body. With `optional`, an empty body (with or without a content type) stands for `{}`,
 * so POSTs that need no body can be sent bare.
 */
export async function readJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  { optional = false, precheck }: { optional?: boolean; precheck?: (raw: unknown) => void } = {},
): Promise<z.infer<S>> {
  const text = await c.req.text();
  const contentType = c.req.header('content-type');
  let raw: unknown;
  if (text.trim() === '') {
    if (!optional)
      throw new ApiProblem('validation-failed', 'A JSON body is required', {
        errors: [{ path: '', message: 'required' }],
      });
    raw = {};
  } else {
    if (!contentType || !jsonMediaType.test(contentType)) {
      throw new ApiProblem('unsupported-media-type', `Content-Type ${contentType ?? '(none)'} is not application/json`);
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      throw new ApiProblem('unsupported-media-type', `charset ${charset} is not supported; send UTF-8`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiProblem('malformed-json', (error as Error).message);
    }
  }
  // Cheap checks (sizes) before the schema walks the value.
  precheck?.(raw);
  return validate(schema, raw);
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(raw) as ReturnType<S['safeParse']>;
  } catch (error) {
    // zod walks JSON recursively: absurdly deep nesting overflows the stack, which is the caller's error.
    if (error instanceof RangeError) throw new ApiProblem('validation-failed', 'The body is nested too deeply');
    throw error;
  }
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : ''),
      message: issue.message,
    }));
    throw new ApiProblem(
      'validation-failed',
      errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '),
      { errors },
    );
  }
  return result.data as z.infer<S>;
}

/** Code is limited in UTF-8 bytes, and over the limit is "too large" (413), not malformed. */
export function checkCodeSize(code: string | undefined, maxBytes: number): void {
  if (code !== undefined && utf8Bytes(code) > maxBytes) {
    throw new ApiProblem('code-too-large', `The code is ${utf8Bytes(code)} bytes; the limit is ${maxBytes}`);
  }
}
