// What the web globals cost a run that uses them, and what a handler run costs, against a run that uses none:
//   npx node --no-node-snapshot packages/sandbox/bench/web.ts
// One worker, one run at a time, one owner (its isolate stays warm): p50 and p99 wall time per run, as the caller sees
// it. The first use of core-js in an isolate also compiles it (isolates are recycled every 100 runs, or after a limit).
import type { RunHandlerRequest } from '../src/config.ts';
import { createSandbox } from '../src/index.ts';
import { measure, printTable } from './run.ts';

const durationMs = Number(process.env.BENCH_MS ?? 2000);
const request: RunHandlerRequest = {
  method: 'GET',
  url: 'https://h.example/x/abc/items?page=2',
  headers: [['accept', '*/*']],
};
const cases: [string, string, RunHandlerRequest?][] = [
  ['none of them', '1 + 2'],
  ['TextEncoder', "new TextEncoder().encode('héllo').length"],
  ['Response + text()', "await new Response('x').text()"],
  ['crypto.randomUUID', 'crypto.randomUUID()'],
  ['URL (core-js)', "new URL('https://a.example/b?c=1').searchParams.get('c')"],
  ['structuredClone (core-js)', 'structuredClone({ a: [1, 2] }).a.length'],
  ['handler → Response', "export default () => new Response('ok')", request],
  ['handler → JSON', 'export default () => ({ ok: true })', request],
  ['handler → new URL(request.url)', 'export default (r) => new Response(new URL(r.url).pathname)', request],
];

const sandbox = createSandbox({ workers: 1, recycleAfterRuns: 1_000_000 });
await sandbox.ready();
const rows = [];
try {
  for (const [name, code, req] of cases) {
    const once = async () => {
      const r = await sandbox.run({ owner: 'bench', language: 'javascript', code, ...(req ? { request: req } : {}) });
      if (!('status' in r) || r.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(r)}`);
    };
    await measure('warm-up', 1, 300, once);
    rows.push(await measure(name, 1, durationMs, once));
  }
} finally {
  await sandbox.close();
}
printTable(rows);
