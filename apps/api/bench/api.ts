/// <reference path="./autocannon.d.ts" />
/**
 * `npm run bench:api`: drives the real local server (child process, embedded store) with autocannon and prints
 * req/s and latency percentiles for reading one acorn, listing, and creating.
 * Goals (2 cores): GET p50 ≤ 3 ms at concurrency 1, ≥ 1,500 req/s at concurrency 8.
 */
import autocannon from 'autocannon';
import { startServerProcess } from '../test/server-process.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

interface Row {
  scenario: string;
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(
  scenario: string,
  connections: number,
  options: Omit<autocannon.Options, 'connections' | 'duration'>,
): Promise<Row> {
  const result = await autocannon({ ...options, connections, duration: seconds });
  return {
    scenario,
    connections,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return (await response.json()) as Record<string, unknown>;
}

const server = await startServerProcess(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {});
try {
  const { key } = (await json(`${server.url}/api/identities`, { method: 'POST' })) as { key: string };
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const body = JSON.stringify({
    title: 'bench',
    language: 'javascript',
    code: 'let s = 0; for (let i = 0; i < 10; i++) s += i; s',
    visibility: 'public',
  });
  const seed = await json(`${server.url}/api/acorns`, { method: 'POST', headers, body });
  for (let i = 0; i < 50; i++) await fetch(`${server.url}/api/acorns`, { method: 'POST', headers, body });
  const one = `${server.url}/api/acorns/${seed.id}`;

  // Warm up the JIT and the connections before measuring.
  await autocannon({ url: one, connections: 4, duration: 1 });

  const rows = [
    await measure('GET /api/acorns/{id}', 1, { url: one }),
    await measure('GET /api/acorns/{id}', 8, { url: one }),
    await measure('GET /api/acorns/{id} If-None-Match', 8, { url: one, headers: { 'if-none-match': '"1"' } }),
    await measure('GET /api/acorns?limit=20', 1, { url: `${server.url}/api/acorns?limit=20` }),
    await measure('GET /api/acorns?limit=20', 8, { url: `${server.url}/api/acorns?limit=20` }),
    await measure('POST /api/acorns', 1, { url: `${server.url}/api/acorns`, method: 'POST', headers, body }),
    await measure('POST /api/acorns', 8, { url: `${server.url}/api/acorns`, method: 'POST', headers, body }),
  ];
  console.log(`\nbench:api — ${seconds} s per row, server: child process on the embedded store\n`);
  console.log('| scenario | connections | req/s | p50 ms | p99 ms | non-2xx (304s on If-None-Match) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.connections} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
  }
} finally {
  await server.stop();
}
