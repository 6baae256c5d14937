/** Test harness: a real server on a free port over a real embedded store in a fresh data dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { type RunningServer, startServer } from '../src/server/start.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

export async function tempDir(prefix = 'sqb-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await tempDir());
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    RUN_RATE_LIMIT: '0',
    ACORN_RATE_LIMIT: '0',
    WEB_DIST: join(dir, 'no-web'),
    ...env,
  });
  const server = await startServer(config);
  return {
    ...server,
    dataDir: dir,
    async destroy() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | undefined;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

/** One HTTP request; parses JSON and problem+json bodies. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  { key, json, body, headers = {} }: RequestOptions = {},
): Promise<Reply<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  const h = init.headers as Record<string, string>;
  if (key) h.authorization = `Bearer ${key}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    h['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: (type.includes('json') && text ? JSON.parse(text) : undefined) as T,
  };
}

/** A client bound to one server, with helpers for the common setup steps. */
export function clientFor(base: string) {
  const api = <T = Record<string, unknown>>(method: string, path: string, options?: RequestOptions) =>
    call<T>(base, method, path, options);
  return {
    api,
    async newKey(): Promise<string> {
      const reply = await api<{ key: string }>('POST', '/api/identities');
      if (reply.status !== 201) throw new Error(`identity: ${reply.status} ${reply.text}`);
      return reply.body.key;
    },
    async newAcorn(key: string, fields: Record<string, unknown> = {}) {
      const reply = await api<{ id: string; version: number; ownerId: string }>('POST', '/api/acorns', {
        key,
        json: { title: 'An acorn', language: 'javascript', code: '1 + 2', visibility: 'public', ...fields },
      });
      if (reply.status !== 201) throw new Error(`create: ${reply.status} ${reply.text}`);
      return reply.body;
    },
  };
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}
