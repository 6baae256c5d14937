/** The request tester's request, from what was typed: method, path below the endpoint, header lines, body. */
import type { HttpHeaderList, RunHttpRequest } from '@squirrelbin/schemas';

export const testerMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type TesterMethod = (typeof testerMethods)[number];

/** Where an endpoint acorn is served. A new acorn has no id yet: its drafts see `/x/new`. */
export function endpointUrl(origin: string, id: string | undefined): string {
  return `${origin}/x/${id ?? 'new'}`;
}

/** GET and HEAD requests have no body (fetch refuses one). */
export const methodHasBody = (method: string) => method !== 'GET' && method !== 'HEAD';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The URL a path typed below the endpoint points at: `/users/7?x=1`, `users/7`, `?x=1` or nothing. `..` segments
 * may not climb out of the endpoint (that would call the API or the SPA instead).
 */
export function resolveEndpointPath(base: string, typed: string): Parsed<string> {
  const text = typed.trim();
  if (/\s/.test(text)) return { ok: false, message: 'The path cannot contain spaces; encode them as %20.' };
  const below = text === '' || text === '/' ? '' : /^[/?#]/.test(text) ? text : `/${text}`;
  let url: URL;
  try {
    url = new URL(`${base}${below}`);
  } catch {
    return { ok: false, message: 'That is not a path this endpoint can be called on.' };
  }
  const prefix = new URL(base).pathname;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
    return { ok: false, message: `The path must stay below ${prefix}.` };
  }
  url.hash = '';
  return { ok: true, value: url.href };
}

/** Token characters of a header name (RFC 9110). */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` lines, one header each; blank lines are skipped. */
export function parseHeaderLines(text: string): Parsed<HttpHeaderList> {
  const headers: HttpHeaderList = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!headerName.test(name)) {
      return { ok: false, message: `Header line ${index + 1} is not “Name: value”.` };
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { ok: true, value: headers };
}

/** The path and query of a URL below its endpoint, as invocations record them (`/` at least, query without `?`). */
export function pathBelowEndpoint(url: string): { path: string; query: string } {
  const parsed = new URL(url);
  const below = parsed.pathname.replace(/^\/x\/[^/]+/, '');
  return { path: below || '/', query: parsed.search.slice(1) };
}

/**
 * The request a draft run hands the handler (`POST /api/run` with `request`): what fetch would send on a live call,
 * so the draft sees the same request — a text body gets fetch's default Content-Type, GET and HEAD get no body.
 */
export function handlerRequest(method: string, url: string, headers: HttpHeaderList, body: string): RunHttpRequest {
  const withBody = methodHasBody(method) && body !== '';
  const sent = [...headers];
  if (withBody && !sent.some(([name]) => name.toLowerCase() === 'content-type')) {
    sent.push(['content-type', 'text/plain;charset=UTF-8']);
  }
  return { method, url, headers: sent, ...(withBody ? { body, bodyEncoding: 'utf8' } : {}) };
}
