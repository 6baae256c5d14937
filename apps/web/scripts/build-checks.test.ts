/** The build's own checks: the size budgets (first load of `/` and of a shared link) and the precompressed files. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompressDir } from './precompress.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squirrelbin-build-checks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, content: string | Buffer) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** A fake build: an entry with one shared chunk, and the acorn route with an editor chunk; sizes in kB of noise. */
function fakeBuild(sizes: { entry: number; editor: number; admin?: number }) {
  // Random bytes do not compress: their gzip size is about their size.
  write('assets/index-a1.js', randomBytes(sizes.entry * 1000));
  write('assets/shared-b2.js', randomBytes(2000));
  write('assets/acorn-c3.js', randomBytes(1000));
  write('assets/codemirror-d4.js', randomBytes(sizes.editor * 1000));
  write('assets/admin-e5.js', randomBytes((sizes.admin ?? 1) * 1000));
  write(
    '.vite/manifest.json',
    JSON.stringify({
      'index.html': {
        file: 'assets/index-a1.js',
        isEntry: true,
        imports: ['_shared-b2.js'],
        dynamicImports: ['src/app/routes/acorn.tsx', 'src/app/routes/admin.tsx'],
      },
      '_shared-b2.js': { file: 'assets/shared-b2.js' },
      'src/app/routes/acorn.tsx': {
        file: 'assets/acorn-c3.js',
        isDynamicEntry: true,
        imports: ['index.html', '_shared-b2.js', '_codemirror-d4.js'],
      },
      '_codemirror-d4.js': { file: 'assets/codemirror-d4.js' },
      'src/app/routes/admin.tsx': { file: 'assets/admin-e5.js', isDynamicEntry: true, imports: ['index.html'] },
    }),
  );
}

function sizeCheck(): { code: number; output: string } {
  const script = join(import.meta.dirname, 'first-load-size.ts');
  try {
    const output = execFileSync(process.execPath, [script, '--dist', dir], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('size budgets', () => {
  it('passes under both budgets and reports both totals', () => {
    fakeBuild({ entry: 100, editor: 100, admin: 500 });
    const { code, output } = sizeCheck();
    expect(code).toBe(0);
    expect(output).toMatch(/First-load JS for \/ .*\n(.*\n)*\s+total .*\(budget 150 kB\)/);
    expect(output).toMatch(/shared link \/a\/\{id\}.*\n(.*\n)*\s+total .*\(budget 260 kB\)/);
    // The lazy admin page counts in neither.
    expect(output).not.toContain('admin-e5.js');
  });

  it('fails when a shared link needs more than its budget, even with the first load within its own', () => {
    fakeBuild({ entry: 100, editor: 170 });
    const { code, output } = sizeCheck();
    expect(code).toBe(1);
    expect(output).toMatch(/over the 260 kB gzip budget/);
    expect(output).not.toMatch(/over the 150 kB gzip budget/);
  });

  it('fails when the first load of / is over its budget', () => {
    fakeBuild({ entry: 160, editor: 10 });
    const { code, output } = sizeCheck();
    expect(code).toBe(1);
    expect(output).toMatch(/over the 150 kB gzip budget/);
  });
});

describe('precompressed files', () => {
  it('writes .br and .gz beside compressible files that shrink, and nothing for the rest', async () => {
    const text = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word ${i}`))};\n`;
    write('index.html', `<!doctype html><title>x</title>${'<p>squirrel</p>'.repeat(200)}`);
    write('assets/index-a1.js', text);
    write('assets/style-b2.css', 'body { color: red; }\n'.repeat(100));
    write('assets/tiny-c3.js', 'export const x = 1;');
    write('assets/noise-d4.js', randomBytes(8000));
    write('assets/image-e5.png', Buffer.alloc(8000));
    write('.vite/manifest.json', JSON.stringify({ padding: 'x'.repeat(8000) }));

    await precompressDir(dir);
    for (const file of ['index.html', 'assets/index-a1.js', 'assets/style-b2.css']) {
      const original = readFileSync(join(dir, file));
      const br = readFileSync(join(dir, `${file}.br`));
      const gz = readFileSync(join(dir, `${file}.gz`));
      expect(brotliDecompressSync(br).equals(original), file).toBe(true);
      expect(gunzipSync(gz).equals(original), file).toBe(true);
      expect(br.length, file).toBeLessThan(original.length * 0.9);
    }
    // Under 1 kB, incompressible, not text, or the build manifest: left alone.
    for (const file of ['assets/tiny-c3.js', 'assets/noise-d4.js', 'assets/image-e5.png', '.vite/manifest.json']) {
      expect(existsSync(join(dir, `${file}.br`)), file).toBe(false);
      expect(existsSync(join(dir, `${file}.gz`)), file).toBe(false);
    }
  });
});
