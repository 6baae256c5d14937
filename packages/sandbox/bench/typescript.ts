// Latency of TypeScript runs end to end (one worker, one run at a time), on the strip-only path and on the
// transform path (an enum and parameter properties, which stripping cannot erase), small and ~16 KB:
//   npx node --no-node-snapshot packages/sandbox/bench/typescript.ts
import { createSandbox } from '../src/index.ts';
import { measure, printTable } from './run.ts';

const filler = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `function f${i}(p: Point, k: number): number {\n  return p.x * k + ${i};\n}`,
  ).join('\n');
const strip = 'interface Point { x: number }\nconst p: Point = { x: 2 };\np.x * 21';
const transform = 'enum Color { Red, Green }\nclass P { constructor(public x: number) {} }\nnew P(Color.Green).x + 41';
const ACORNS: Record<string, string> = {
  'strip small': strip,
  'strip 16 KB': `${filler(230)}\n${strip}`,
  'transform small': transform,
  'transform 16 KB': `interface Point { x: number }\n${filler(230)}\n${transform}`,
};

const durationMs = Number(process.env.BENCH_MS ?? 2000);
const sandbox = createSandbox({ workers: 1 });
await sandbox.ready();
const rows = [];
try {
  for (const [name, code] of Object.entries(ACORNS)) {
    const once = async () => {
      const r = await sandbox.run({ owner: 'bench', language: 'typescript', code });
      if (!('status' in r) || r.status !== 'ok') {
        throw new Error(`${name}: ${JSON.stringify(r)}`);
      }
    };
    await measure('warm-up', 1, 300, once);
    rows.push(await measure(`${name} (${(code.length / 1024).toFixed(1)} KB)`, 1, durationMs, once));
  }
} finally {
  await sandbox.close();
}
printTable(rows);
