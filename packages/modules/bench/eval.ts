// What each artifact costs in a real isolate: size, compile once per isolate, evaluate per run in a fresh context.
//   npm run bench -w @squirrelbin/modules     (node --no-node-snapshot bench/eval.ts)
import ivm from 'isolated-vm';
import { bundle } from '../src/build.ts';
import { moduleSource } from '../src/index.ts';
import { readManifest } from '../src/manifest.ts';

const runs = 50;
const manifest = readManifest();
if (!manifest) throw new Error('no dist/: run npm run build -w @squirrelbin/modules');

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Evaluates the compiled artifact in a new context: runs the script and calls the loader. Returns wall and isolate
 * CPU time (the CPU figure holds up on a busy machine; wall does not).
 */
function evaluate(isolate: ivm.Isolate, script: ivm.Script): { ms: number; cpuMs: number; context: ivm.Context } {
  const context = isolate.createContextSync();
  const cpu = isolate.cpuTime;
  const started = performance.now();
  const load = script.runSync(context, { reference: true }) as ivm.Reference;
  context.global.setSync('__load', load.derefInto());
  context.evalSync('globalThis.__namespace = __load(); undefined');
  return { ms: performance.now() - started, cpuMs: Number(isolate.cpuTime - cpu) / 1e6, context };
}

const rows: string[][] = [];
let totalUnminified = 0;
for (const [name, { bytes }] of Object.entries(manifest.artifacts)) {
  const source = moduleSource(name);
  const unminified = Buffer.byteLength(await bundle(name, { minify: false }));
  totalUnminified += unminified;
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const heapBefore = isolate.getHeapStatisticsSync().used_heap_size;
  let started = performance.now();
  const script = isolate.compileScriptSync(source, { filename: `${name}.js` });
  const compileMs = performance.now() - started;
  const first = evaluate(isolate, script);
  const heapMiB = (isolate.getHeapStatisticsSync().used_heap_size - heapBefore) / 2 ** 20;
  first.context.release();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, cpuMs, context } = evaluate(isolate, script);
    wall.push(ms);
    cpu.push(cpuMs);
    context.release();
  }
  // The sandbox compiles with a code cache; measure a compile that consumes one.
  const produced = isolate.compileScriptSync(source, { produceCachedData: true }) as ivm.Script & ivm.CachedDataResult;
  const cached = produced.cachedData;
  const other = new ivm.Isolate({ memoryLimit: 64 });
  started = performance.now();
  other.compileScriptSync(source, { cachedData: cached });
  const cachedCompileMs = performance.now() - started;
  other.dispose();
  isolate.dispose();
  rows.push([
    name,
    kib(bytes),
    kib(unminified),
    compileMs.toFixed(2),
    cachedCompileMs.toFixed(2),
    first.cpuMs.toFixed(2),
    median(cpu).toFixed(2),
    median(wall).toFixed(2),
    heapMiB.toFixed(2),
  ]);
}

const header = [
  'artifact',
  'KiB',
  'KiB unmin',
  'compile',
  'cached compile',
  'first eval CPU',
  'eval CPU p50',
  'eval wall p50',
  'heap MiB',
];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) =>
  `| ${cells.map((cell, i) => (i ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));
const total = Object.values(manifest.artifacts).reduce((sum, { bytes }) => sum + bytes, 0);
console.log(
  `\n${rows.length} artifacts, ${kib(total)} KiB minified, ${kib(totalUnminified)} KiB unminified. Times in ms.`,
);
console.log('eval = run the script and call the loader in a fresh context of an isolate that compiled it once;');
console.log(`first = the first such run (includes lazy compilation), p50 of the ${runs} runs after it.`);
