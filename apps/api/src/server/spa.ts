/**
 * Serves the built SPA (apps/web/dist): its files, and index.html for any other non-API path so deep links work
 * on reload.
 *
 * - Compression: the web build writes `<file>.br` and `<file>.gz` beside each compressible file; the one the
 *   client prefers by `Accept-Encoding` (q-values honoured, brotli first on a tie) is sent as is, with
 *   `Content-Encoding`. Every compressible response says `Vary: Accept-Encoding`, the uncompressed ones too, so
 *   no cache hands a brotli body to a client that did not ask for it.
 * - Caching: Vite names everything under /assets after its content, so those never change:
 *   `public, max-age=31536000, immutable`. index.html (and any other file) is `no-cache`: revalidated on every
 *   use, with an ETag so that costs a 304.
 * - A missing file under /assets is a 404, never index.html (a stale page asking for a chunk of an older build
 *   must fail loudly, not parse HTML as JavaScript). Dot-files and the build manifest (`.vite/`) are not served.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import type { AppEnv } from '../deps.ts';

/** The API's and the acorn endpoints' paths: never the SPA, even where no route answers. */
const isApi = (path: string) => /^\/(api|x)(\/|$)/.test(path);
const isAsset = (path: string) => path.startsWith('/assets/');

export const immutableCache = 'public, max-age=31536000, immutable';
export const revalidateCache = 'no-cache';

/** Precompressed siblings, in order of preference when the client weighs them equally. */
const encodings = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
const compressibleType = /^(?:text\/|application\/(?:javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/;
const precompressedSuffix = /\.(?:br|gz)$/;

export function serveSpa(app: Hono<AppEnv>, root: string): void {
  const base = resolve(root);
  const indexHtml = join(base, 'index.html');
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (isApi(path)) return next();
    const file = fileFor(base, path);
    const found = file ? await sendFile(c, file, isAsset(path) ? immutableCache : revalidateCache) : null;
    if (found) return found;
    if (isAsset(path)) {
      return c.text('Not found', 404, { 'Cache-Control': revalidateCache, 'X-Content-Type-Options': 'nosniff' });
    }
    return (await sendFile(c, indexHtml, revalidateCache)) ?? next();
  });
}

/** The file a URL path names inside `base`, or null for anything that could step outside it or is hidden. */
function fileFor(base: string, path: string): string | null {
  // Built file names are plain ASCII: anything encoded, a backslash or a NUL is not one of them.
  if (/[%\\\0]/.test(path)) return null;
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return null;
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  // The .br/.gz files are representations of their originals, only sent through negotiation.
  if (precompressedSuffix.test(segments.at(-1)!)) return null;
  const file = join(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

async function statFile(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

/** Sends a file (or its best precompressed form); null when it does not exist. */
async function sendFile(c: Context<AppEnv>, file: string, cacheControl: string): Promise<Response | null> {
  const info = await statFile(file);
  if (!info) return null;
  const type = getMimeType(file) ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
    'Last-Modified': info.mtime.toUTCString(),
  };
  let served = file;
  let size = info.size;
  let encoding: string | undefined;
  if (compressibleType.test(type)) {
    headers.Vary = 'Accept-Encoding';
    const weight = encodingWeights(c.req.header('Accept-Encoding'));
    let best = weight('identity');
    for (const candidate of encodings) {
      const q = weight(candidate.name);
      if (q <= best) continue;
      const variant = await statFile(file + candidate.suffix);
      if (!variant) continue;
      best = q;
      served = file + candidate.suffix;
      size = variant.size;
      encoding = candidate.name;
    }
  }
  // One ETag per representation: the bytes of each encoding differ.
  const etag = `"${size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
  headers.ETag = etag;
  if (matchesEtag(c.req.header('If-None-Match'), etag)) {
    const { 'Content-Type': _type, ...notModified } = headers;
    return c.body(null, 304, notModified);
  }
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(size);
  // HEAD is answered by Hono from this GET response, without its body.
  return c.body(await readFile(served), 200, headers);
}

/**
 * How much the client wants each content coding, from `Accept-Encoding` (RFC 9110 §12.5.3): `q` from 0 to 1, a
 * coding it does not name gets the `*` weight (0 without one). Identity weighs what the client says, else 0, so any
 * coding it accepts is preferred to sending the file uncompressed.
 */
export function encodingWeights(header: string | undefined): (coding: string) => number {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [token = '', ...params] = part.split(';');
    const coding = token.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Math.min(Math.max(Number(match[1]) || 0, 0), 1);
    }
    weights.set(coding, q);
  }
  return (coding) => weights.get(coding) ?? (coding === 'identity' ? 0 : (weights.get('*') ?? 0));
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
