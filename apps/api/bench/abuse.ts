/**
 * `npm run bench:abuse`: can one caller degrade the service for others? For each scenario a fresh server process
 * runs, attackers loop in a worker thread (so the probes' own event loop stays quiet), and two probes measure what
 * everybody else sees: `GET /api/health`, and a neighbour (its own identity) running `1+1`.
 *
 * Scenarios: idle; (a) two clients loop 1 MiB run bodies; (b) one client loops list requests; (c) 20 anonymous
 * sleepers hold sandbox slots. Goals: health p99 < 50 ms, and the neighbour's p99 < 3× its idle p99, in each.
 * `BENCH_MS` sets each scenario's length (default 5000).
 */
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startServerProcess } from '../test/server-process.ts';

type Scenario = 'idle' | 'big-bodies' | 'list-loop' | 'sleepers';
const durationMs = Number(process.env.BENCH_MS ?? 5000);

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function send(url: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise<{ status: number; text: string }>((resolve) => {
    const req = request({ hostname, port, path: pathname + search, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, text: '' }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (body !== undefined) {
      req.setHeader('content-type', 'application/json');
      req.setHeader('content-length', Buffer.byteLength(body));
    }
    req.end(body);
  });
}

/** The attackers: loop until told to stop, counting requests by status. */
async function attack(url: string, scenario: Scenario, stop: { now: boolean }): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  const loop = async (step: () => Promise<{ status: number }>) => {
    while (!stop.now) {
      const { status } = await step();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 0) await new Promise((r) => setTimeout(r, 10));
    }
  };
  const lanes: Promise<void>[] = [];
  if (scenario === 'big-bodies') {
    const body = JSON.stringify({ language: 'javascript', code: '1', input: 'x'.repeat(1024 * 1024 - 64) });
    for (let i = 0; i < 2; i++) lanes.push(loop(() => send(`${url}/api/run`, 'POST', body)));
  } else if (scenario === 'list-loop') {
    lanes.push(loop(() => send(`${url}/api/acorns?limit=20`, 'GET')));
  } else if (scenario === 'sleepers') {
    const body = JSON.stringify({
      language: 'javascript',
      code: 'await new Promise((r) => setTimeout(r, 9900))',
      limits: { timeoutMs: 10_000 },
    });
    for (let i = 0; i < 20; i++) lanes.push(loop(() => send(`${url}/api/run`, 'POST', body)));
  }
  await Promise.all(lanes);
  return statuses;
}

if (!isMainThread) {
  const stop = { now: false };
  const stopped = new Promise<void>((resolve) =>
    parentPort?.once('message', () => {
      stop.now = true;
      resolve();
    }),
  );
  const statuses = await attack(workerData.url, workerData.scenario, stop);
  // Answer only once asked (an idle worker has nothing to wait for, and the question must come first).
  await stopped;
  parentPort?.postMessage(statuses);
} else {
  await main();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function probe(until: number, step: () => Promise<unknown>, pauseMs: number): Promise<number[]> {
  const times: number[] = [];
  while (Date.now() < until) {
    const t = performance.now();
    await step();
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  const rows: Record<string, string | number>[] = [];
  let idleNeighbourP99 = Number.NaN;
  for (const scenario of ['idle', 'big-bodies', 'list-loop', 'sleepers'] as Scenario[]) {
    const server = await startServerProcess({ RUN_RATE_LIMIT: '0', IDENTITY_RATE_LIMIT: '0', ACORN_RATE_LIMIT: '0' });
    try {
      const { key } = JSON.parse((await send(`${server.url}/api/identities`, 'POST')).text) as { key: string };
      const auth = { authorization: `Bearer ${key}` };
      for (let i = 0; i < 30; i++) {
        const acorn = { title: `acorn ${i}`, language: 'javascript', code: '1 + 2', visibility: 'public' };
        await send(`${server.url}/api/acorns`, 'POST', JSON.stringify(acorn), auth);
      }
      const neighbourBody = JSON.stringify({ language: 'javascript', code: '1+1' });
      // Warm the neighbour's isolate and the server's code paths.
      for (let i = 0; i < 20; i++) await send(`${server.url}/api/run`, 'POST', neighbourBody, auth);

      const worker = new Worker(new URL(import.meta.url), { workerData: { url: server.url, scenario } });
      await new Promise((r) => setTimeout(r, scenario === 'idle' ? 0 : 500));
      const until = Date.now() + durationMs;
      const [health, neighbour] = await Promise.all([
        probe(until, () => send(`${server.url}/api/health`, 'GET'), 20),
        probe(
          until,
          async () => {
            const reply = await send(`${server.url}/api/run`, 'POST', neighbourBody, auth);
            if (reply.status !== 200 || !reply.text.includes('"status":"ok"')) {
              throw new Error(`neighbour run failed: ${reply.status} ${reply.text.slice(0, 200)}`);
            }
          },
          20,
        ),
      ]);
      const answered = new Promise<Record<number, number>>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const statuses = await answered;
      await worker.terminate();
      if (scenario === 'idle') idleNeighbourP99 = percentile(neighbour, 99);
      const neighbourP99 = percentile(neighbour, 99);
      rows.push({
        scenario,
        'attack requests (by status)':
          Object.entries(statuses)
            .map(([s, n]) => `${n}×${s}`)
            .join(' ') || '-',
        'health p50 ms': percentile(health, 50).toFixed(1),
        'health p99 ms': percentile(health, 99).toFixed(1),
        'neighbour 1+1 p50 ms': percentile(neighbour, 50).toFixed(1),
        'neighbour 1+1 p99 ms': neighbourP99.toFixed(1),
        'p99 vs idle': `${(neighbourP99 / idleNeighbourP99).toFixed(2)}×`,
        goals:
          percentile(health, 99) < 50 && neighbourP99 < 3 * idleNeighbourP99
            ? 'met'
            : `MISSED (health p99 < 50 ms, neighbour p99 < ${(3 * idleNeighbourP99).toFixed(1)} ms)`,
      });
    } finally {
      await server.stop();
    }
  }
  console.log(`bench:abuse — ${durationMs} ms per scenario, fresh server process each, Node ${process.version}`);
  console.table(rows);
  agent.destroy();
}
