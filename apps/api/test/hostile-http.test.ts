// The sandbox's hostile acorns, sent through POST /api/run: each ends with its exact status while the server keeps
// answering /api/health within 200 ms, and leaves the server able to run the next acorn with workers under bound.

import { fast, hostileSuites } from '@squirrelbin/sandbox/hostile-cases';
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;

beforeAll(async () => {
  // The cases ask for the deadlines they need; the anonymous cap (3 s) is tested elsewhere.
  server = await startTestServer({ RUN_WORKERS: '2', RUN_ANON_MAX_TIMEOUT_MS: '10000' });
  await server.sandbox.ready();
});
afterAll(() => server.destroy());

afterEach(async () => {
  const next = await call<RunResult>(server.url, 'POST', '/api/run', {
    json: { language: 'javascript', code: '[1, 2].map((n) => n * 2)' },
  });
  expect(next.body).toMatchObject({ status: 'ok', value: [2, 4] });
  const stats = server.sandbox.stats();
  for (const worker of stats.workers) expect(worker.rssMb).toBeLessThan(stats.rssLimitMb);
});

/** Polls /api/health until `work` settles; returns the slowest answer in ms. */
async function slowestHealthWhile(work: Promise<unknown>): Promise<number> {
  let settled = false;
  void work.finally(() => {
    settled = true;
  });
  let slowest = 0;
  while (!settled) {
    const start = performance.now();
    const reply = await call(server.url, 'GET', '/api/health');
    expect(reply.status).toBe(200);
    slowest = Math.max(slowest, performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return slowest;
}

for (const { title, cases } of hostileSuites) {
  describe(title, () => {
    for (const [name, code, status, options = fast, check] of cases) {
      it(`${name} → ${status}`, async () => {
        const pending = call<RunResult>(server.url, 'POST', '/api/run', {
          json: { language: 'javascript', code, ...(options.limits ? { limits: options.limits } : {}) },
        });
        const slowest = await slowestHealthWhile(pending);
        const reply = await pending;
        expect(reply.status).toBe(200);
        expect(reply.body.status, JSON.stringify(reply.body.error)).toBe(status);
        check?.(reply.body);
        expect(slowest).toBeLessThan(200);
      });
    }
  });
}
