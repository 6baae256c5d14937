/**
 * Prints the gzip size of the JavaScript two pages load before they can show anything, read from Vite's build
 * manifest, and exits 1 when either passes its budget:
 *
 * - `/`: the entry chunk and its static imports (Explore is in the entry).
 * - `/a/{id}` (a shared link): that, plus the acorn route's chunk and its static imports — everything that must
 *   arrive before the acorn's code shows in the editor (CodeMirror included). index.html preloads these chunks on
 *   that path (scripts/route-preload.ts), so this is also what the page downloads before the code is visible.
 *
 * Sizes are gzip level 9 per file (what the server sends a client without brotli); the brotli figure, from the
 * `.br` files the build writes, is shown beside it.
 *
 *   node scripts/first-load-size.ts [--dist <dir>]   (default: apps/web/dist)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

interface Budget {
  label: string;
  /** Manifest keys of the lazily imported modules the page needs besides the entry (none for `/`). */
  routes: string[];
  budgetKb: number;
}

const budgets: Budget[] = [
  { label: 'First-load JS for / (entry + static imports)', routes: [], budgetKb: 150 },
  {
    label: 'JS for a shared link /a/{id} before its code shows (entry + acorn route + static imports)',
    routes: ['src/app/routes/acorn.tsx'],
    budgetKb: 260,
  },
];

const { values: args } = parseArgs({ options: { dist: { type: 'string' } } });
const dist = args.dist ? resolve(args.dist) : join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
if (!entry) throw new Error('no entry chunk in the manifest');

/** A manifest key and its static imports, transitively. */
function closure(start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  if (!manifest[start]) throw new Error(`${start} is not in the build manifest`);
  seen.add(start);
  for (const imported of manifest[start].imports ?? []) closure(imported, seen);
  return seen;
}

const sizes = new Map<string, { raw: number; gzip: number; br: number }>();
function sizeOf(file: string) {
  let size = sizes.get(file);
  if (!size) {
    const bytes = readFileSync(join(dist, file));
    const brFile = join(dist, `${file}.br`);
    size = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      br: existsSync(brFile) ? readFileSync(brFile).length : bytes.length,
    };
    sizes.set(file, size);
  }
  return size;
}

let failed = false;
for (const budget of budgets) {
  const keys = new Set<string>();
  for (const start of [entry[0], ...budget.routes]) closure(start, keys);
  let raw = 0;
  let gzip = 0;
  let br = 0;
  const rows: string[] = [];
  const cssFiles = new Set<string>();
  for (const key of keys) {
    const chunk = manifest[key]!;
    for (const css of chunk.css ?? []) cssFiles.add(css);
    const size = sizeOf(chunk.file);
    raw += size.raw;
    gzip += size.gzip;
    br += size.br;
    rows.push(
      `  ${chunk.file.padEnd(40)} ${kb(size.raw).padStart(9)}  gzip ${kb(size.gzip).padStart(9)}  br ${kb(size.br).padStart(9)}`,
    );
  }
  const cssGzip = [...cssFiles].reduce((sum, file) => sum + sizeOf(file).gzip, 0);
  console.log(`${budget.label}:`);
  console.log(rows.join('\n'));
  console.log(
    `  total ${kb(raw)}, gzip ${kb(gzip)} (budget ${budget.budgetKb} kB), br ${kb(br)}; CSS gzip ${kb(cssGzip)}`,
  );
  if (gzip > budget.budgetKb * 1000) {
    console.error(`  over the ${budget.budgetKb} kB gzip budget by ${kb(gzip - budget.budgetKb * 1000)}`);
    failed = true;
  }
}
if (failed) process.exit(1);

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
