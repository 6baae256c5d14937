// The bundler refuses what the sandbox cannot run, and says which package and which import.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileArtifact, createBareContext } from '../src/bare-context.ts';
import { bundle, inspectArtifact, isFresh } from '../src/build.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const bundleFixture = (file: string) => bundle(`./${file}`, { resolveDir: fixtures });

describe('bundle() fails on Node built-ins', () => {
  it('an import of fs', async () => {
    await expect(bundleFixture('needs-fs.js')).rejects.toThrow(
      /"\.\/needs-fs\.js" needs the Node built-in "fs", .* \(at test\/fixtures\/needs-fs\.js:2\)/,
    );
  });

  it('an import of node:crypto', async () => {
    await expect(bundleFixture('needs-node-crypto.js')).rejects.toThrow(/needs the Node built-in "node:crypto"/);
  });

  it('a require of buffer, even inside try/catch', async () => {
    await expect(bundleFixture('requires-buffer-in-try.cjs')).rejects.toThrow(/needs the Node built-in "buffer"/);
  });

  it('a require left in the output', async () => {
    await expect(bundleFixture('uses-require.js')).rejects.toThrow(/uses-require\.js":\n {2}leaves a require\(\) call/);
  });

  it('an unguarded use of the process global', async () => {
    await expect(bundleFixture('uses-process.js')).rejects.toThrow(/uses the Node global "process"/);
  });
});

describe('bundle() accepts feature tests', () => {
  it('typeof-guarded Node globals and process.env.NODE_ENV', async () => {
    const source = await bundleFixture('feature-tests.js');
    expect(inspectArtifact('feature-tests', source)).toEqual(['default', 'hasRoot', 'mode', 'onNode']);
    const namespace = compileArtifact(source, createBareContext())();
    expect({ ...namespace, default: undefined }).toEqual({
      default: undefined,
      hasRoot: true,
      mode: 'production',
      onNode: false,
    });
  });

  it('keeps what a package writes on globalThis private to the instance', async () => {
    const source = await bundleFixture('writes-global.js');
    expect(inspectArtifact('writes-global', source)).toEqual(['default', 'value']);
    expect(compileArtifact(source, createBareContext())().value).toBe(1);
  });

  it('minifies by default', async () => {
    const minified = await bundle('ms');
    const readable = await bundle('ms', { minify: false });
    expect(minified.length).toBeLessThan(readable.length * 0.7);
    expect(compileArtifact(readable, createBareContext())().default).toBeTypeOf('function');
  });
});

it('dist/ is fresh after the global setup, so a second build is skipped', () => {
  expect(isFresh()).toBe(true);
});
