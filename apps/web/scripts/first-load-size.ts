/**
 * Prints the gzip size of the JavaScript that `/` loads before any lazy import: the entry chunk and its
 * static imports, read from Vite's build manifest. Exits 1 when it passes the budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const budgetKb = 150;
const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
if (!entry) throw new Error('no entry chunk in the manifest');

const seen = new Set<string>();
const visit = (name: string) => {
  if (seen.has(name)) return;
  seen.add(name);
  for (const imported of manifest[name]?.imports ?? []) visit(imported);
};
visit(entry[0]);

let rawTotal = 0;
let gzipTotal = 0;
const rows: string[] = [];
const cssFiles = new Set<string>();
for (const name of seen) {
  const chunk = manifest[name]!;
  for (const css of chunk.css ?? []) cssFiles.add(css);
  const bytes = readFileSync(join(dist, chunk.file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzipTotal += gzip;
  rows.push(`  ${chunk.file.padEnd(40)} ${kb(bytes.length).padStart(9)}  gzip ${kb(gzip).padStart(9)}`);
}
const cssGzip = [...cssFiles].reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length, 0);

console.log('First-load JS for / (entry + static imports):');
console.log(rows.join('\n'));
console.log(`  total ${kb(rawTotal)}, gzip ${kb(gzipTotal)} (budget ${budgetKb} kB); CSS gzip ${kb(cssGzip)}`);
if (gzipTotal > budgetKb * 1000) {
  console.error(`First-load JS is over the ${budgetKb} kB gzip budget`);
  process.exit(1);
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
