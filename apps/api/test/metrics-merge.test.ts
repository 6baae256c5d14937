import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { MetricsResponse } from '@squirrelbin/schemas';
import { type EmbeddedStore, startEmbeddedStore } from '@squirrelbin/store';
import { afterAll, expect, it } from 'vitest';
import { call, tempDir } from './harness.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

let storeDir: string;
let store: EmbeddedStore | undefined;
const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await store?.close();
  await rm(storeDir, { recursive: true, force: true });
});

it('merges the metrics of two server processes sharing one standalone store', async () => {
  storeDir = await tempDir();
  // What `npm run store` runs: the embedded store alone, for several servers.
  store = await startEmbeddedStore(storeDir);
  const env = { DYNAMODB_ENDPOINT: store.endpoint, METRICS_FLUSH_MS: '200', RUN_WORKERS: '1' };
  servers.push(await startServerProcess(env), await startServerProcess(env));
  const [a, b] = servers as [ServerProcess, ServerProcess];

  for (let i = 0; i < 7; i++) expect((await call(a.url, 'GET', '/api/health')).status).toBe(200);
  for (let i = 0; i < 11; i++) expect((await call(b.url, 'GET', '/api/health')).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await call(b.url, 'GET', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);

  // Asynchronously: the store it talks to lives in this test process.
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'admin', '--', 'create-key'], {
    cwd: new URL('../../..', import.meta.url).pathname,
    env: { ...process.env, DYNAMODB_ENDPOINT: store.endpoint },
  });
  const adminKey = stdout.trim().split('\n').at(-1)!;

  // Server b's own figures are flushed when it is asked; a's by its timer.
  await new Promise((resolve) => setTimeout(resolve, 600));
  const reply = await call<MetricsResponse>(b.url, 'GET', '/api/admin/metrics', { key: adminKey });
  expect(reply.status).toBe(200);
  const byName = new Map(reply.body.endpoints.map((e) => [e.endpoint, e.totals]));
  expect(byName.get('health')).toMatchObject({ count: 18, status2xx: 18 });
  expect(byName.get('acorns.get')).toMatchObject({ count: 3, status4xx: 3 });
}, 60_000);
