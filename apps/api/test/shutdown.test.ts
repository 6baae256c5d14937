import type { RunResult } from '@squirrelbin/schemas';
import { expect, it } from 'vitest';
import { call } from './harness.ts';
import { startServerProcess } from './server-process.ts';

it('prints its URL, and on SIGTERM lets in-flight requests finish before it exits cleanly', async () => {
  const server = await startServerProcess();
  expect(server.output()).toMatch(/SquirrelBin listening on http:\/\/localhost:\d+/);
  expect((await call(server.url, 'GET', '/api/health')).status).toBe(200);

  // A request that takes ~600 ms: a run with timers.
  const inFlight = call<RunResult>(server.url, 'POST', '/api/run', {
    json: { language: 'javascript', code: 'await new Promise((r) => setTimeout(r, 600)); "done"' },
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  const exitCode = server.stop();
  const reply = await inFlight;
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ status: 'ok', value: 'done' });
  expect(await exitCode).toBe(0);
  expect(server.output()).toContain('SIGTERM');
}, 30_000);
