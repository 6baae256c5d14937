/**
 * `npm run bench:endpoint`: one table, one run — a trivial endpoint acorn (`() => new Response("ok")`) called at
 * `/x/{id}` over HTTP, beside `POST /api/run` of `"ok"` on the same server, and the same endpoint on a second
 * server with the invocation log off (INVOCATION_LOG=off), to show what recording each call costs.
 * Goals (2 cores): endpoint p50 ≤ 3 ms at concurrency 1; endpoint throughput at concurrency 4 ≥ 80% of
 * POST /api/run's; recording adds ≤ 5% to the endpoint's p50.
 */
import { type Measurement, measure, printTable } from '@squirrelbin/sandbox/bench';
import { type ServerProcess, startServerProcess } from '../test/server-process.ts';
import { httpClient } from './http.ts';

const durationMs = Number(process.env.BENCH_MS ?? 3000);
const { send, close } = httpClient(16);

const json = { 'content-type': 'application/json' };

/** Four identities, each with a trivial endpoint acorn: one lane per owner, as four users' endpoints would be. */
async function setUp(server: ServerProcess) {
  const lanes: { key: string; id: string }[] = [];
  for (let i = 0; i < 4; i++) {
    const { key } = JSON.parse((await send(`${server.url}/api/identities`, 'POST', {})).text) as { key: string };
    const created = await send(
      `${server.url}/api/acorns`,
      'POST',
      { ...json, authorization: `Bearer ${key}` },
      JSON.stringify({
        title: 'ok endpoint',
        language: 'javascript',
        code: 'export default () => new Response("ok")',
        visibility: 'public',
        endpoint: true,
      }),
    );
    lanes.push({ key, id: (JSON.parse(created.text) as { id: string }).id });
  }
  return lanes;
}

const rows: Measurement[] = [];
const recording = await startServerProcess({ ENDPOINT_RATE_LIMIT: '0' });
const silent = await startServerProcess({ ENDPOINT_RATE_LIMIT: '0', INVOCATION_LOG: 'off' });
try {
  const calls = async (server: ServerProcess) => {
    const lanes = await setUp(server);
    const callEndpoint = async (lane: number) => {
      const reply = await send(`${server.url}/x/${lanes[lane]!.id}`, 'GET', {});
      if (reply.status !== 200 || reply.text !== 'ok') throw new Error(`endpoint: ${reply.status} ${reply.text}`);
    };
    const runOk = async (lane: number) => {
      const reply = await send(
        `${server.url}/api/run`,
        'POST',
        { ...json, authorization: `Bearer ${lanes[lane]!.key}` },
        JSON.stringify({ language: 'javascript', code: '"ok"' }),
      );
      if (reply.status !== 200) throw new Error(`run: ${reply.status}`);
    };
    return { callEndpoint, runOk };
  };
  const on = await calls(recording);
  const off = await calls(silent);
  // Both servers warm before any row, and the rows that are compared taken one after the other.
  for (const { callEndpoint, runOk } of [on, off]) {
    await measure('warm-up', 4, 1000, callEndpoint);
    await measure('warm-up', 4, 1000, runOk);
  }
  rows.push(await measure('GET /x/{id} trivial', 1, durationMs, on.callEndpoint));
  rows.push(await measure('GET /x/{id} trivial (log off)', 1, durationMs, off.callEndpoint));
  rows.push(await measure('POST /api/run "ok"', 1, durationMs, on.runOk));
  rows.push(await measure('GET /x/{id} trivial', 4, durationMs, on.callEndpoint));
  rows.push(await measure('GET /x/{id} trivial (log off)', 4, durationMs, off.callEndpoint));
  rows.push(await measure('POST /api/run "ok"', 4, durationMs, on.runOk));
  // One acorn at concurrency 4: its owner's share of the sandbox (RUN_PER_OWNER, 2) is the bound.
  rows.push(await measure('GET /x/{id} trivial, one acorn', 4, durationMs, () => on.callEndpoint(0)));
} finally {
  close();
  await recording.stop();
  await silent.stop();
}

console.log(`\nbench:endpoint — ${durationMs} ms per row; one server per configuration, one worker per core\n`);
printTable(rows);
const find = (name: string, c: number) => rows.find((r) => r.name === name && r.concurrency === c);
const endpoint1 = find('GET /x/{id} trivial', 1)!;
const endpoint4 = find('GET /x/{id} trivial', 4)!;
const run4 = find('POST /api/run "ok"', 4)!;
const silent1 = find('GET /x/{id} trivial (log off)', 1)!;
console.log('');
console.log(`endpoint p50 @1: ${endpoint1.p50.toFixed(2)} ms (goal ≤ 3 ms)`);
console.log(
  `endpoint throughput @4: ${((endpoint4.perSecond / run4.perSecond) * 100).toFixed(0)}% of POST /api/run's (goal ≥ 80%)`,
);
console.log(
  `invocation log: p50 ${endpoint1.p50.toFixed(2)} ms on vs ${silent1.p50.toFixed(2)} ms off (${(((endpoint1.p50 - silent1.p50) / silent1.p50) * 100).toFixed(1)}%, goal ≤ 5%)`,
);
