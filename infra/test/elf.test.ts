/**
 * The ELF reader behind the addon check (lambda-bundles.test.ts): it reads what `readelf -V` reads, and it does
 * catch the reason isolated-vm's own prebuild cannot run on Lambda (GLIBCXX_3.4.30, above AL2023's 3.4.29).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aboveCeilings, compareVersions, highestVersions, parseVersion, versionNeeds } from '../scripts/elf.ts';
import { lambdaTarget, repoRoot, shippedAddon } from '../src/lambda-bundle.ts';

const ivmDir = dirname(
  createRequire(join(repoRoot, 'packages/sandbox/package.json')).resolve('isolated-vm/package.json'),
);
const npmPrebuild = join(ivmDir, shippedAddon);

function readelfNeeds(file: string): Record<string, string[]> | undefined {
  let out: string;
  try {
    out = execFileSync('readelf', ['-V', '-W', file], { encoding: 'utf8' });
  } catch {
    return undefined; // binutils not installed: the comparison is skipped
  }
  const needs: Record<string, string[]> = {};
  let library = '';
  for (const line of out.slice(out.indexOf("Version needs section '.gnu.version_r'")).split('\n')) {
    const file = /File: (\S+)/.exec(line);
    if (file) library = file[1]!;
    const name = /Name: (\S+)/.exec(line);
    if (name && library) needs[library] = [...(needs[library] ?? []), name[1]!];
  }
  return needs;
}

describe('ELF version needs', () => {
  it("reads the same version needs as readelf -V from isolated-vm's npm prebuild", () => {
    expect(lambdaTarget.prebuild).toBe('linux-x64');
    const needs = versionNeeds(npmPrebuild);
    expect(needs['libc.so.6']).toContain('GLIBC_2.2.5');
    const reference = readelfNeeds(npmPrebuild);
    if (reference) {
      const sorted = (value: Record<string, string[]>) =>
        Object.fromEntries(Object.entries(value).map(([library, names]) => [library, [...names].sort()]));
      expect(sorted(needs)).toEqual(sorted(reference));
    }
  });

  it('flags the npm prebuild: it needs GLIBCXX_3.4.30, which Amazon Linux 2023 lacks', () => {
    const needs = versionNeeds(npmPrebuild);
    expect(highestVersions(needs).GLIBCXX).toBe('GLIBCXX_3.4.30');
    expect(aboveCeilings(needs)).toEqual(['libstdc++.so.6: GLIBCXX_3.4.30']);
  });

  it('compares versions numerically, component by component', () => {
    expect(parseVersion('GLIBC_2.2.5')).toEqual({ prefix: 'GLIBC', version: [2, 2, 5] });
    expect(parseVersion('GLIBC_PRIVATE')).toBeUndefined();
    expect(compareVersions([2, 34], [2, 4])).toBeGreaterThan(0);
    expect(compareVersions([3, 4, 29], [3, 4, 29, 0])).toBe(0);
    expect(aboveCeilings({ 'libc.so.6': ['GLIBC_2.34', 'GLIBC_2.35'], 'libx.so': ['CXXABI_1.3.13'] })).toEqual([
      'libc.so.6: GLIBC_2.35',
    ]);
  });
});
