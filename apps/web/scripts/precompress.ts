/**
 * Writes `<file>.br` and `<file>.gz` next to every compressible file of the build, so the local server
 * (apps/api/src/server/spa.ts) sends them by `Accept-Encoding` without compressing per request. Brotli at
 * quality 11 and gzip at level 9: slow to make, once per build, and the smallest to send. Files under 1 kB, and
 * files that would shrink by less than 10%, stay uncompressed only. On AWS, CloudFront compresses instead (these
 * files are not uploaded).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** What is worth compressing: text, by extension. Already-compressed files (images, fonts) are not. */
export const compressibleFile = /\.(?:js|mjs|css|html|svg|json|txt|map|xml|wasm)$/;
const minBytes = 1024;
const minSaving = 0.1;

export interface PrecompressResult {
  file: string;
  bytes: number;
  br: number | null;
  gzip: number | null;
}

/** Compresses every eligible file under `dir` (skipping `.vite/`, the build manifest). */
export async function precompressDir(dir: string): Promise<PrecompressResult[]> {
  const files = (await listFiles(dir)).filter(
    (file) => compressibleFile.test(file) && !relative(dir, file).startsWith('.vite'),
  );
  return Promise.all(files.map((file) => precompressFile(dir, file)));
}

async function precompressFile(dir: string, file: string): Promise<PrecompressResult> {
  const bytes = await readFile(file);
  const result: PrecompressResult = { file: relative(dir, file), bytes: bytes.length, br: null, gzip: null };
  if (bytes.length < minBytes) return result;
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  const worthIt = (compressed: Buffer) => compressed.length <= bytes.length * (1 - minSaving);
  if (worthIt(br)) {
    await writeFile(`${file}.br`, br);
    result.br = br.length;
  }
  if (worthIt(gz)) {
    await writeFile(`${file}.gz`, gz);
    result.gzip = gz.length;
  }
  return result;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The Vite plugin: precompresses the output directory once the bundle is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'squirrelbin:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const results = await precompressDir(outDir);
      const compressed = results.filter((result) => result.br !== null || result.gzip !== null);
      this.info(`precompressed ${compressed.length} of ${results.length} files (.br and .gz)`);
    },
  };
}
