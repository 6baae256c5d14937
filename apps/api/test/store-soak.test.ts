/**
 * Listing public acorns must not leak: dynalite never closed the LevelDB iterator behind a Query, so each
 * `GET /api/acorns` kept ~16 KB alive for good (patches/dynalite+4.0.0.patch). Real HTTP, real embedded store.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, inParallel, startTestServer, type TestServer } from './harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer;
beforeAll(async () => {
  // Metrics off: their per-minute buckets grow with time, not with this test's requests. Nothing runs acorns.
  server = await startTestServer({ METRICS: 'off', RUN_WORKERS: '1' });
});
afterAll(() => server?.destroy());

function heapMb(): number {
  // A few rounds: finalizers (e.g. of native iterators) may free more on the next one.
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

it('serves 5,000 public listings with the heap back within 20 MB of where it started', async () => {
  const { api, newKey, newAcorn } = clientFor(server.url);
  const key = await newKey();
  for (let i = 0; i < 25; i++) await newAcorn(key, { title: `soak ${i}`, description: 'listed again and again' });

  const list = async () => {
    const reply = await api<{ items: unknown[] }>('GET', '/api/acorns?limit=20');
    if (reply.status !== 200 || reply.body.items.length !== 20) throw new Error(`list: ${reply.status} ${reply.text}`);
  };
  // Warm up: connection pools, JIT, caches that fill once.
  await inParallel(Array.from({ length: 300 }), 8, list);
  const before = heapMb();
  const requests = 5_000;
  await inParallel(Array.from({ length: requests }), 8, list);
  const after = heapMb();
  const perRequestKb = ((after - before) * 1024) / requests;
  console.log(
    `heap ${before.toFixed(1)} MB -> ${after.toFixed(1)} MB over ${requests} listings (${perRequestKb.toFixed(2)} KB each)`,
  );
  expect(after - before).toBeLessThan(20);
}, 120_000);
