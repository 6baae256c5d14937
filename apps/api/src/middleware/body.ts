/** Request bodies: size limit before anything is read (413), then media type (415), JSON (400) and schema (400). */
import { utf8Bytes } from '@squirrelbin/schemas';
import type { Context } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

export const bodyLimit = (maxBytes: number) =>
  honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      // The rest of the body is never read, so the connection cannot carry another request.
      throw new ApiProblem('body-too-large', `The body is over ${maxBytes} bytes`, {
        headers: { Connection: 'close' },
      });
    },
  });

const jsonMediaType = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * Reads and validates a JSON body. With `optional`, an empty body (with or without a content type) stands for `{}`,
 * so POSTs that need no body can be sent bare.
 */
export async function readJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  { optional = false } = {},
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
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiProblem('malformed-json', (error as Error).message);
    }
  }
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
