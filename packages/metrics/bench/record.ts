/** How much recording costs per request: `node packages/metrics/bench/record.ts`. */
import { createRecorder, type RunOutcome } from '../src/index.ts';

const endpoints = ['acorns.get', 'acorns.list', 'acorns.create', 'run.post', 'health.get', 'unmatched'];
const statuses = [200, 200, 200, 201, 304, 404, 500];
const outcomes: (RunOutcome | undefined)[] = ['ok', undefined, 'error', undefined];
const samples = Array.from({ length: 4096 }, (_, i) => ({
  endpoint: endpoints[i % endpoints.length]!,
  status: statuses[i % statuses.length]!,
  latencyMs: 0.2 + ((i * 7919) % 5000) / 10,
  outcome: outcomes[i % outcomes.length],
}));

const recorder = createRecorder();
const start = Date.now();
const run = (n: number) => {
  for (let i = 0; i < n; i++) recorder.record(samples[i & 4095]!, start + i); // a new minute every 60,000 records
};

run(200_000); // warm up
recorder.take();
for (const n of [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000]) {
  const began = process.hrtime.bigint();
  run(n);
  const ns = Number(process.hrtime.bigint() - began) / n;
  recorder.take();
  console.log(`record: ${ns.toFixed(1)} ns per record (${n.toLocaleString('en')} records, explicit now)`);
}
{
  const n = 1_000_000;
  const began = process.hrtime.bigint();
  for (let i = 0; i < n; i++) recorder.record(samples[i & 4095]!);
  const ns = Number(process.hrtime.bigint() - began) / n;
  console.log(`record: ${ns.toFixed(1)} ns per record (${n.toLocaleString('en')} records, Date.now())`);
}

// The whole middleware (performance.now twice, the accessors, record) on an in-process Hono app.
const { Hono } = await import('hono');
const { metricsMiddleware } = await import('../src/index.ts');
// Baseline: an empty middleware, so both apps go through Hono's compose and the difference is ours.
const plain = new Hono()
  .use(async (_c, next) => {
    await next();
  })
  .get('/x', (c) => c.text('ok'));
const measured = new Hono<{ Variables: { endpoint: string } }>()
  .use(metricsMiddleware(recorder, { endpointOf: (c) => c.get('endpoint') }))
  .get('/x', (c) => {
    c.set('endpoint', 'x.get');
    return c.text('ok');
  });
const perRequest = async (app: { request(path: string): Response | Promise<Response> }, n: number) => {
  const began = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await app.request('/x');
  return Number(process.hrtime.bigint() - began) / n;
};
// Alternate rounds and keep each app's best: other processes on the machine only ever add time.
let without = Number.POSITIVE_INFINITY;
let withMetrics = Number.POSITIVE_INFINITY;
for (let round = 0; round < 6; round++) {
  without = Math.min(without, await perRequest(plain, 30_000));
  withMetrics = Math.min(withMetrics, await perRequest(measured, 30_000));
}
console.log(
  `middleware: ${(withMetrics - without).toFixed(0)} ns added per request (${without.toFixed(0)} → ${withMetrics.toFixed(0)} ns, in-process app.request, best of 6)`,
);
