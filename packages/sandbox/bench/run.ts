// Throughput and latency of the sandbox against its two baselines, in one table:
//   npx node --no-node-snapshot packages/sandbox/bench/run.ts
// `measure` and `printTable` are exported so other benches (e.g. POST /api/run against a server) can add rows.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ivm from 'isolated-vm';
import { createSandbox, type RunRequest } from '../src/index.ts';

export interface Measurement {
  name: string;
  concurrency: number;
  runs: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Calls `fn` from `concurrency` lanes at once until `durationMs` has passed; `fn` gets the lane number. */
export async function measure(
  name: string,
  concurrency: number,
  durationMs: number,
  fn: (lane: number) => Promise<unknown>,
): Promise<Measurement> {
  const latencies: number[] = [];
  const started = performance.now();
  const lane = async (n: number) => {
    while (performance.now() - started < durationMs) {
      const t = performance.now();
      await fn(n);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => lane(n)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    name,
    concurrency,
    runs: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    perSecond: latencies.length / seconds,
  };
}

export function printTable(rows: Measurement[]): void {
  const header = ['runner', 'conc', 'runs', 'p50 ms', 'p99 ms', 'runs/s'];
  const body = rows.map((r) => [
    r.name,
    String(r.concurrency),
    String(r.runs),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.perSecond.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

export const ACORNS = {
  trivial: '1 + 2',
  cpu: 'let s = 0;\nfor (let i = 0; i < 1e6; i++) s += i;\ns',
};

const LIB_ID = 'benchlib_0000000001';

/**
 * Runs that import, for the sandbox here and for the API's bench (`apps/api/bench/run.ts`): each is a RunRequest
 * without `owner`. `acorn import` passes the imported acorn in `acorns`, as the API does after resolving it.
 */
export const IMPORT_CASES: { name: string; request: Omit<RunRequest, 'owner'> }[] = [
  { name: 'trivial', request: { language: 'javascript', code: '1 + 2' } },
  {
    name: 'zod',
    request: {
      language: 'javascript',
      code: "import { z } from 'zod';\nz.object({ n: z.number() }).parse({ n: 1 }).n",
    },
  },
  {
    name: 'lodash-es',
    request: { language: 'javascript', code: "import { chunk } from 'lodash-es';\nchunk([1, 2, 3], 2)" },
  },
  {
    name: 'acorn import',
    request: {
      language: 'javascript',
      code: `import { add } from 'acorn:${LIB_ID}';\nadd(1, 2)`,
      acorns: {
        [`acorn:${LIB_ID}`]: {
          id: LIB_ID,
          version: 1,
          language: 'javascript',
          code: 'export const add = (a, b) => a + b;',
        },
      },
    },
  },
];

/** The floor: a fresh isolate per run, in this process, one at a time, no supervision at all. */
export function rawIsolate(code: string) {
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  try {
    const context = isolate.createContextSync();
    return context.evalSync(code, { timeout: 1000 });
  } finally {
    isolate.dispose();
  }
}

/** The naive alternative: a fresh Node process per run. */
export function processPerRun(code: string) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', `console.log(JSON.stringify(eval(${JSON.stringify(code)})))`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

async function main() {
  const durationMs = Number(process.env.BENCH_MS ?? 2000);
  const sandbox = createSandbox();
  await sandbox.ready();
  const rows: Measurement[] = [];
  try {
    for (const { name, request } of IMPORT_CASES) {
      const viaSandbox = async (lane: number) => {
        const r = await sandbox.run({ owner: `bench${lane}`, ...request });
        if (!('status' in r) || r.status !== 'ok') throw new Error(`run failed: ${JSON.stringify(r)}`);
      };
      await measure('warm-up', 4, 300, viaSandbox);
      rows.push(await measure(`sandbox imports: ${name}`, 1, durationMs, viaSandbox));
    }
    if (process.env.BENCH_IMPORTS_ONLY) return;
    for (const [kind, code] of Object.entries(ACORNS)) {
      const viaSandbox = async (lane: number) => {
        const r = await sandbox.run({ owner: `bench${lane}`, language: 'javascript', code });
        if (!('status' in r) || r.status !== 'ok') throw new Error(`run failed: ${JSON.stringify(r)}`);
      };
      await measure('warm-up', 4, 300, viaSandbox);
      rows.push(await measure(`sandbox ${kind}`, 1, durationMs, viaSandbox));
      rows.push(await measure(`sandbox ${kind}`, 4, durationMs, viaSandbox));
      rows.push(await measure(`raw fresh isolate ${kind}`, 1, durationMs, async () => rawIsolate(code)));
      rows.push(await measure(`process per run ${kind}`, 2, durationMs, () => processPerRun(code)));
    }
  } finally {
    await sandbox.close();
    if (process.env.BENCH_IMPORTS_ONLY) printTable(rows);
  }
  if (process.env.BENCH_IMPORTS_ONLY) return;
  printTable(rows);
  for (const kind of Object.keys(ACORNS)) {
    const find = (name: string, c: number) => rows.find((r) => r.name === `${name} ${kind}` && r.concurrency === c);
    const sandbox4 = find('sandbox', 4)?.perSecond ?? 0;
    const processRate = find('process per run', 2)?.perSecond ?? 1;
    const raw = find('raw fresh isolate', 1)?.perSecond ?? 1;
    console.log(
      `${kind}: sandbox@4 = ${(sandbox4 / processRate).toFixed(1)}× process-per-run, ${((sandbox4 / raw) * 100).toFixed(0)}% of the raw fresh-isolate floor`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
