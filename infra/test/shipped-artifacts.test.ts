/**
 * Build outputs shipped beside the bundles (`shippedArtifacts`): a named file must be there when CDK bundles (the copy
 * fails naming the build command otherwise), a `*`-pattern ships whatever the build left, and each set goes to the
 * functions it is meant for.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { artifactFiles, copyCommands, shippedArtifacts, shippedFiles } from '../src/lambda-bundle.ts';

const run = promisify(execFile);

describe('artifacts shipped beside the bundles', () => {
  const root = mkdtempSync(join(tmpdir(), 'squirrelbin-artifacts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const set = { dir: 'pkg/dist', files: ['manifest.json', '*.js'], to: 'lib', build: 'npm run build -w pkg' };

  it('expands patterns to what the build left, and names each required file with its build command', () => {
    // Not built: the required file is still listed (so the copy can say what to run), the pattern matches nothing.
    expect(artifactFiles(set, root)).toEqual([
      { from: 'pkg/dist/manifest.json', to: 'lib/manifest.json', buildHint: 'build it with: npm run build -w pkg' },
    ]);
    mkdirSync(join(root, 'pkg/dist'), { recursive: true });
    for (const file of ['manifest.json', 'b.js', 'a.js', 'a.js.map', 'notes.txt']) {
      writeFileSync(join(root, 'pkg/dist', file), file);
    }
    expect(artifactFiles(set, root).map((file) => file.to)).toEqual(['lib/manifest.json', 'lib/a.js', 'lib/b.js']);
  });

  it('copies them into the bundle directory, and fails naming the build when a required file is missing', async () => {
    const out = join(root, 'bundle');
    mkdirSync(out);
    await run('sh', ['-c', copyCommands(artifactFiles(set, root), root, out).join(' && ')]);
    expect(readdirSync(join(out, 'lib')).sort()).toEqual(['a.js', 'b.js', 'manifest.json']);

    rmSync(join(root, 'pkg/dist/manifest.json'));
    const failed = run('sh', ['-c', copyCommands(artifactFiles(set, root), root, out).join(' && ')]);
    await expect(failed).rejects.toMatchObject({
      stderr: expect.stringContaining('pkg/dist/manifest.json is not built; build it with: npm run build -w pkg'),
    });
  });

  it('ships the sandbox and its web globals to the run functions, and only what is meant for all to the others', () => {
    const runner = shippedFiles({ runsAcorns: true }).map((file) => file.to);
    expect(runner).toEqual(
      expect.arrayContaining(['bootstrap.js', 'web.js', 'web-globals.js', 'modules/manifest.json']),
    );
    expect(runner.filter((file) => file.startsWith('modules/') && file.endsWith('.js')).length).toBeGreaterThan(0);
    const other = shippedFiles({ runsAcorns: false }).map((file) => file.to);
    expect(other).toEqual(
      shippedArtifacts.filter((a) => a.functions === 'all').flatMap((a) => artifactFiles(a).map((file) => file.to)),
    );
    expect(other).not.toContain('web-globals.js');
    expect(other.some((file) => file.includes('isolated-vm'))).toBe(false);
  });
});
