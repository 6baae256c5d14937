// What a fresh context costs: the pool prepares one (createContext, the bootstrap, the web globals) after every run,
// off the request path. Measured through the pool itself: a release starts the next context's preparation and the
// following acquire waits for it, so acquire's time is the preparation's wall time.
//   npx node --no-node-snapshot packages/sandbox/bench/context.ts
import { fileURLToPath } from 'node:url';
import { IsolatePool } from '../src/isolate-pool.ts';

export async function contextCost(rounds = 300) {
  const pool = new IsolatePool({
    caps: { maxOutputChars: 65_536, maxLogEntries: 1000, maxPreviewChars: 8192, maxResponseBytes: 1_048_576 },
    defaultMemoryMb: 64,
    recycleAfterRuns: rounds + 10,
    maxIdle: 4,
    spares: 0,
    onCatastrophicError: () => {},
  });
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    let lease = await pool.acquire('bench', 64);
    for (let i = 0; i < rounds + 20; i++) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      pool.release(lease, 'bench', true);
      lease = await pool.acquire('bench', 64);
      const wall = performance.now() - t;
      const used = process.cpuUsage(cpu);
      if (i >= 20) {
        walls.push(wall);
        cpus.push((used.user + used.system) / 1000);
      }
    }
    pool.release(lease, 'bench', false);
  } finally {
    pool.close();
  }
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? 0;
  return { wallP50: at(walls, 0.5), wallP90: at(walls, 0.9), cpuP50: at(cpus, 0.5), cpuP90: at(cpus, 0.9) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await contextCost(Number(process.env.ROUNDS ?? 300));
  const f = (n: number) => n.toFixed(3);
  console.log(
    `context preparation: wall p50 ${f(r.wallP50)} ms, p90 ${f(r.wallP90)} ms; CPU p50 ${f(r.cpuP50)} ms, p90 ${f(r.cpuP90)} ms`,
  );
}
