/**
 * `npm run bench:run`: one table, one machine, one run — the sandbox directly, POST /api/run over HTTP against the
 * real server, and two baselines: a fresh isolate per run in-process (the floor) and a fresh `node -e` process per
 * run (what process-per-run runners pay). Goals (2 cores): HTTP trivial p50 ≤ 3 ms at concurrency 1; HTTP at
 * concurrency 4 ≥ 10× process-per-run and ≥ 100% of the single-thread raw fresh-isolate floor.
 */
import { Agent, request } from 'node:http';
import { createSandbox } from '@squirrelbin/sandbox';
import {
  ACORNS,
  IMPORT_CASES,
  type Measurement,
  measure,
  printTable,
  processPerRun,
  rawIsolate,
} from '@squirrelbin/sandbox/bench';
import { startServerProcess } from '../test/server-process.ts';

const durationMs = Number(process.env.BENCH_MS ?? 3000);

// node:http with keep-alive: fetch costs ~0.6 ms of client CPU per request, which on 2 cores the server would pay for.
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: unknown }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const rows: Measurement[] = [];

const server = await startServerProcess({ RUN_RATE_LIMIT: '0' });
const sandbox = createSandbox();
try {
  await sandbox.ready();
  // One identity per lane: runs are pooled per owner, as different users' runs would be.
  const keys = await Promise.all(
    Array.from(
      { length: 4 },
      async () => ((await post(`${server.url}/api/identities`, {}, '')).json as { key: string }).key,
    ),
  );
  for (const [kind, code] of Object.entries(ACORNS)) {
    const direct = async (lane: number) => {
      const r = await sandbox.run({ owner: `bench${lane}`, language: 'javascript', code });
      if (!('status' in r) || r.status !== 'ok') throw new Error(`run failed: ${JSON.stringify(r)}`);
    };
    const body = JSON.stringify({ language: 'javascript', code });
    const overHttp = async (lane: number) => {
      const reply = await post(
        `${server.url}/api/run`,
        { 'content-type': 'application/json', authorization: `Bearer ${keys[lane]}` },
        body,
      );
      if (reply.status !== 200 || (reply.json as { status?: string }).status !== 'ok') {
        throw new Error(`HTTP run failed: ${reply.status}`);
      }
    };
    await measure('warm-up', 4, 500, direct);
    await measure('warm-up', 4, 500, overHttp);
    rows.push(await measure(`sandbox ${kind}`, 1, durationMs, direct));
    rows.push(await measure(`sandbox ${kind}`, 4, durationMs, direct));
    rows.push(await measure(`HTTP POST /api/run ${kind}`, 1, durationMs, overHttp));
    rows.push(await measure(`HTTP POST /api/run ${kind}`, 4, durationMs, overHttp));
    rows.push(await measure(`raw fresh isolate ${kind}`, 1, durationMs, async () => rawIsolate(code)));
    rows.push(await measure(`process per run ${kind}`, 2, durationMs, () => processPerRun(code)));
  }
  // Imports (issue 13): the sandbox directly, then over HTTP with a real acorn to import, one lane each.
  for (const { name, request } of IMPORT_CASES) {
    const direct = async () => {
      const r = await sandbox.run({ owner: 'bench-imports', ...request });
      if (!('status' in r) || r.status !== 'ok') throw new Error(`run failed: ${JSON.stringify(r)}`);
    };
    await measure('warm-up', 1, 500, direct);
    rows.push(await measure(`sandbox imports: ${name}`, 1, durationMs, direct));
  }
  const lib = await post(
    `${server.url}/api/acorns`,
    { 'content-type': 'application/json', authorization: `Bearer ${keys[0]}` },
    JSON.stringify({
      title: 'lib',
      language: 'javascript',
      code: 'export const add = (a, b) => a + b;',
      visibility: 'public',
    }),
  );
  const libId = (lib.json as { id: string }).id;
  const httpImports: [string, string][] = [
    ['trivial', '1 + 2'],
    ['zod', "import { z } from 'zod';\nz.object({ n: z.number() }).parse({ n: 1 }).n"],
    ['lodash-es', "import { chunk } from 'lodash-es';\nchunk([1, 2, 3], 2)"],
    ['acorn import', `import { add } from 'acorn:${libId}';\nadd(1, 2)`],
  ];
  for (const [name, code] of httpImports) {
    const body = JSON.stringify({ language: 'javascript', code });
    const overHttp = async () => {
      const reply = await post(
        `${server.url}/api/run`,
        { 'content-type': 'application/json', authorization: `Bearer ${keys[0]}` },
        body,
      );
      if (reply.status !== 200 || (reply.json as { status?: string }).status !== 'ok') {
        throw new Error(`HTTP run failed: ${reply.status} ${JSON.stringify(reply.json)}`);
      }
    };
    await measure('warm-up', 1, 500, overHttp);
    rows.push(await measure(`HTTP imports: ${name}`, 1, durationMs, overHttp));
  }
} finally {
  agent.destroy();
  await sandbox.close();
  await server.stop();
}

console.log(`\nbench:run — ${durationMs} ms per row; the server and the sandbox each have one worker per core\n`);
printTable(rows);
console.log('');
for (const via of ['sandbox', 'HTTP']) {
  const p50 = (name: string) => rows.find((r) => r.name === `${via} imports: ${name}`)?.p50 ?? Number.NaN;
  const extra = (name: string) => `${name} +${(p50(name) - p50('trivial')).toFixed(2)} ms`;
  console.log(
    `${via} imports over trivial (p50): ${['zod', 'lodash-es', 'acorn import'].map(extra).join(', ')} (goal: zod ≤ 5 ms)`,
  );
}
console.log('');
for (const kind of Object.keys(ACORNS)) {
  const rate = (name: string, c: number) =>
    rows.find((r) => r.name === `${name} ${kind}` && r.concurrency === c)?.perSecond ?? 0;
  const floor = rate('raw fresh isolate', 1);
  const processes = rate('process per run', 2);
  for (const name of ['sandbox', 'HTTP POST /api/run']) {
    const at4 = rate(name, 4);
    console.log(
      `${kind}, ${name} @4: ${(at4 / processes).toFixed(1)}× process-per-run, ${((at4 / floor) * 100).toFixed(0)}% of the raw fresh-isolate floor`,
    );
  }
}
