// The public manifest and the loader's behaviour around dist/.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModuleLoader, moduleSource, modulesManifest, resolveModule } from '../src/index.ts';
import { distDir, packageDir } from '../src/manifest.ts';
import { moduleSet } from '../src/set.ts';

function installed(name: string): { version: string; license: string } {
  const local = path.join(packageDir, 'node_modules', name, 'package.json');
  const file = existsSync(local) ? local : path.join(packageDir, '..', '..', 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('modulesManifest()', () => {
  const { items } = modulesManifest();

  it('is exactly { items: [{ name, version, description, license, bytes }] }, sorted by name', () => {
    expect(Object.keys(modulesManifest())).toEqual(['items']);
    expect(items.map(({ name }) => name)).toEqual(moduleSet.map(({ name }) => name).sort());
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['bytes', 'description', 'license', 'name', 'version']);
      expect(item.description).toMatch(/^[^\n]{10,100}$/);
      expect(item.bytes).toBe(statSync(resolveModule(item.name)!.file).size);
    }
  });

  it('reports the installed versions and licenses, which are the pinned ones', () => {
    const pinned = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).dependencies;
    for (const item of items) {
      expect(item.version, item.name).toBe(installed(item.name).version);
      expect(item.version, item.name).toBe(pinned[item.name]);
      expect(item.license, item.name).toBe(installed(item.name).license);
    }
  });
});

describe('moduleSource()', () => {
  it('returns the artifact text, read once', () => {
    const source = moduleSource('zod');
    expect(source).toBe(readFileSync(path.join(distDir, 'zod.js'), 'utf8'));
    expect(moduleSource('zod')).toBe(source);
  });

  it('throws for a name that is not an artifact', () => {
    expect(() => moduleSource('left-pad')).toThrow(/not a built module artifact/);
    expect(() => moduleSource('date-fns/addDays')).toThrow(/not a built module artifact/);
  });
});

it('a missing dist/ says how to build it', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'modules-'));
  try {
    const loader = createModuleLoader(empty);
    expect(() => loader.modulesManifest()).toThrow('run npm run build -w @squirrelbin/modules');
    expect(() => loader.resolveModule('zod')).toThrow('run npm run build -w @squirrelbin/modules');
  } finally {
    rmSync(empty, { recursive: true });
  }
});
