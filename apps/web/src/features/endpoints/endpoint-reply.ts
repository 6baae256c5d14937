/** An endpoint's answer as the tester shows it: one shape for a live call and for a draft run, and its body preview. */
import type { LogEntry, Problem, RunError, RunStatus } from '@squirrelbin/schemas';

export interface EndpointReply {
  /** `live`: the real `/x/{id}` answered (and recorded it); `draft`: the editor's code ran through `POST /api/run`. */
  mode: 'live' | 'draft';
  method: string;
  url: string;
  /** The HTTP status; for a draft run that failed, the one the endpoint would answer (502, 504). */
  status: number | null;
  headers: [string, string][];
  body: Uint8Array;
  runStatus: RunStatus | null;
  /** The run's wall time: `X-Run-Wall-Ms` of a live call, `wallMs` of a draft run. */
  wallMs: number | null;
  /** CPU time, known for draft runs only. */
  cpuMs: number | null;
  /** From Send to the whole answer, measured here. */
  roundTripMs: number;
  /** A draft run's logs; null for a live call (its logs come with its invocation record). */
  logs: LogEntry[] | null;
  logsTruncated: boolean;
  error: RunError | null;
  /** A live call answered with a redirect, which a page may not read (`redirect: 'manual'`). */
  redirect: boolean;
  /** Ids of the invocations listed when the request was sent, so the new one can be told apart. */
  knownInvocations: ReadonlySet<string>;
}

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const statusReason = (status: number) => reasons[status] ?? '';

export function headerValue(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
}

/** Content types whose bodies read as text; anything else with bytes that are not UTF-8 is shown as binary. */
export function isTextual(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    /^application\/(json|javascript|ecmascript|xml|x-www-form-urlencoded|x-ndjson|yaml|toml|graphql)$/.test(type) ||
    /\+(json|xml)$/.test(type)
  );
}

export type BodyPreview =
  | { kind: 'empty' }
  | { kind: 'text'; text: string; json: boolean; truncated: boolean }
  | { kind: 'binary'; bytes: number; hex: string; base64: string; truncated: boolean };

/** Characters of text shown; bytes of a binary body shown as hex. */
const textLimit = 100_000;
const hexLimit = 256;

/**
 * Text for textual content types (JSON pretty-printed), and for an untyped body that is valid UTF-8 without control
 * characters; otherwise the size, the first bytes in hex and the whole body as base64 (for copying).
 */
export function previewBody(body: Uint8Array, contentType: string | null): BodyPreview {
  if (body.length === 0) return { kind: 'empty' };
  const text = decodeText(body, isTextual(contentType) ? 'lenient' : 'strict');
  if (text !== null && (isTextual(contentType) || !hasControlCharacters(text))) {
    const json = /json/i.test(contentType ?? '');
    const shown = json ? prettyJson(text) : text;
    return {
      kind: 'text',
      text: shown.length > textLimit ? shown.slice(0, textLimit) : shown,
      json,
      truncated: shown.length > textLimit,
    };
  }
  const head = body.subarray(0, hexLimit);
  const hex = Array.from(head, (byte) => byte.toString(16).padStart(2, '0'))
    .join(' ')
    .replace(/((?:[0-9a-f]{2} ){15}[0-9a-f]{2}) /g, '$1\n');
  return { kind: 'binary', bytes: body.length, hex, base64: bytesToBase64(body), truncated: body.length > hexLimit };
}

/** Characters below space other than tab, newlines and form feed: what binary data has and text does not. */
function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) return true;
  }
  return false;
}

function decodeText(body: Uint8Array, mode: 'strict' | 'lenient'): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: mode === 'strict' }).decode(body);
  } catch {
    return null;
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A problem+json body (`/x` failures: 404, 429, 502, 504…), when the answer is one. */
export function problemOf(reply: Pick<EndpointReply, 'headers' | 'body'>): Partial<Problem> | null {
  if (!/problem\+json/i.test(headerValue(reply.headers, 'content-type') ?? '')) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(reply.body)) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Partial<Problem>) : null;
  } catch {
    return null;
  }
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and a call has only so many.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
