/**
 * Rate limits that hold across processes (issue 11, item 5): two servers on one standalone store enforce one limit
 * together, and the origin secret keeps callers from going around the CDN.
 */
import { rm } from 'node:fs/promises';
import { type EmbeddedStore, type LimitStore, startEmbeddedStore } from '@squirrelbin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreRateLimiter } from '../src/rate-limit.ts';
import { call, clientFor, startTestServer, tempDir } from './harness.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

function expectProblem(reply: { status: number; headers: Headers; body: unknown }, status: number, type: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, type: `urn:squirrelbin:problem:${type}` });
}

/** Store limits count per clock minute: start a sequence early enough in one that it does not straddle two. */
async function freshWindow(needMs = 20_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('two server processes on one standalone store', () => {
  let storeDir: string;
  let store: EmbeddedStore;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    storeDir = await tempDir();
    // What `npm run store` serves: every server is `remote` to it, so every server counts in the store.
    store = await startEmbeddedStore(storeDir);
    const env = {
      DYNAMODB_ENDPOINT: store.endpoint,
      RUN_WORKERS: '1',
      CLIENT_IP_HEADER: 'x-test-client-ip',
      IDENTITY_RATE_LIMIT: '3',
      ACORN_RATE_LIMIT: '2',
      ACORN_ADDRESS_RATE_LIMIT: '100',
      RUN_RATE_LIMIT: '2',
      RUN_ADDRESS_RATE_LIMIT: '100',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.close();
    await rm(storeDir, { recursive: true, force: true });
  });

  const from = (address: string) => ({ headers: { 'x-test-client-ip': address } });

  it('share one budget of identities per address, of acorns per identity and of runs per owner', async () => {
    await freshWindow();
    // Identities: 3 per address per minute, whichever server is asked.
    const statuses = [];
    for (const server of [a, b, a, b, a]) {
      statuses.push((await call(server.url, 'POST', '/api/identities', from('198.51.100.7'))).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const refused = await call(b.url, 'POST', '/api/identities', from('198.51.100.7'));
    expectProblem(refused, 429, 'rate-limited');
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Another address has its own budget.
    expect((await call(b.url, 'POST', '/api/identities', from('198.51.100.8'))).status).toBe(201);

    // Acorns: 2 per identity per minute across both servers.
    const key = await clientFor(a.url).newKey();
    const json = { title: 't', language: 'javascript', code: '1', visibility: 'private' };
    const creates = [];
    for (const server of [a, b, a]) creates.push((await call(server.url, 'POST', '/api/acorns', { key, json })).status);
    expect(creates).toEqual([201, 201, 429]);

    // Anonymous runs: 2 per owner (its address) per minute across both servers.
    const run = { json: { language: 'javascript', code: '6 * 7' }, ...from('198.51.100.9') };
    const runs = [];
    for (const server of [b, a, b]) runs.push((await call(server.url, 'POST', '/api/run', run)).status);
    expect(runs).toEqual([200, 200, 429]);
  }, 60_000);
});

describe('store limiter', () => {
  it('refuses a key it saw spent without asking the store again until the window ends', async () => {
    const asked: number[] = [];
    const limits = {
      async take(_key: string, limit: number, windowMs: number, now: number) {
        asked.push(now);
        return asked.length > limit ? windowMs - (now % windowMs) : 0;
      },
    } as unknown as LimitStore;
    const limiter = createStoreRateLimiter(limits, 'test', 2);
    const t = 120_000;
    expect([await limiter.take('k', t), await limiter.take('k', t + 1)]).toEqual([0, 0]);
    expect(await limiter.take('k', t + 10_000)).toBe(50);
    expect(await limiter.take('k', t + 20_000)).toBe(40);
    expect(asked).toHaveLength(3);
    // The next window asks the store again.
    await limiter.take('k', t + 60_000);
    expect(asked).toHaveLength(4);
    expect(await createStoreRateLimiter(limits, 'off', 0).take('k', t)).toBe(0);
    expect(asked).toHaveLength(4);
  });
});

describe('origin secret', () => {
  it('refuses requests without the secret the CDN adds, before touching anything, and serves those with it', async () => {
    const secret = 'a-secret-of-at-least-16-chars';
    const server = await startTestServer({ ORIGIN_SECRET: secret });
    try {
      const without: Record<string, string>[] = [
        {},
        { 'x-squirrelbin-origin-secret': 'wrong' },
        { 'x-squirrelbin-origin-secret': '' },
      ];
      for (const headers of without) {
        const reply = await call(server.url, 'GET', '/api/health', { headers });
        expectProblem(reply, 403, 'forbidden');
        expect(reply.headers.get('x-request-id')).toBeTruthy();
      }
      expectProblem(await call(server.url, 'POST', '/api/identities'), 403, 'forbidden');
      const ok = await call(server.url, 'GET', '/api/health', { headers: { 'x-squirrelbin-origin-secret': secret } });
      expect(ok.status).toBe(200);
    } finally {
      await server.destroy();
    }
  });
});
