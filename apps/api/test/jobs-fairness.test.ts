/**
 * Jobs never starve interactive runs (issue 15, item 5): while a 50-wide job runs, job runs hold at most their
 * share of the sandbox's slots, and another caller's interactive runs stay fast. The bound here is generous (a
 * loaded CI machine); `npm run bench:jobs` measures the real figure.
 */
import type { Job } from '@squirrelbin/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.sandbox.ready();
});
afterAll(() => server?.destroy());

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

it('keeps job runs within their share of the slots and interactive runs near their idle latency', async () => {
  const { api, newKey, newAcorn } = clientFor(server.url);
  const [owner, bystander] = await Promise.all([newKey(), newKey()]);
  const trivial = await newAcorn(bystander, { code: 'input + 1' });
  const busy = await newAcorn(owner, { code: 'const t = Date.now(); while (Date.now() - t < 2) {}\n1' });
  const interactive = async (runs: number) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const reply = await api('POST', `/api/acorns/${trivial.id}/run`, { key: bystander, json: { input: i } });
      times.push(performance.now() - started);
      expect(reply.body).toMatchObject({ status: 'ok', value: i + 1 });
    }
    return times;
  };
  await interactive(20); // warm
  const idle = median(await interactive(60));

  const started = await api<Job>('POST', `/api/acorns/${busy.id}/jobs`, {
    key: owner,
    json: { kind: 'load', iterations: 10_000, concurrency: 50 },
  });
  expect(started.status).toBe(202);
  const slots = server.deps.config.jobs.slots;
  let mostBackground = 0;
  const sampler = setInterval(() => {
    mostBackground = Math.max(mostBackground, server.sandbox.stats().backgroundRunning);
  }, 5);
  try {
    for (let done = 0; done < 100; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = (await api<Job>('GET', `/api/jobs/${started.body.id}`, { key: owner })).body.done;
    }
    const during = median(await interactive(60));
    const job = (await api<Job>('GET', `/api/jobs/${started.body.id}`, { key: owner })).body;
    expect(job.status).toBe('running');
    console.log(`interactive p50: idle ${idle.toFixed(1)} ms, during a 50-wide job ${during.toFixed(1)} ms`);
    expect(during).toBeLessThan(idle * 10 + 25);
    expect(mostBackground).toBeGreaterThan(0);
    expect(mostBackground).toBeLessThanOrEqual(slots);
  } finally {
    clearInterval(sampler);
    await api('DELETE', `/api/jobs/${started.body.id}`, { key: owner });
  }
});
