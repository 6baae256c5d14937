/**
 * The symbol versions an ELF shared object needs from each library it links (its `.gnu.version_r` section, what
 * `readelf -V` prints under "Version needs"), read without binutils: the run functions' isolated-vm addon must not
 * need a glibc or libstdc++ newer than Lambda's Amazon Linux 2023 has.
 */
import { readFileSync } from 'node:fs';

const SHT_GNU_VERNEED = 0x6ffffffe;

/** Library file name (`libc.so.6`) → version names needed from it (`GLIBC_2.34`, …). */
export type VersionNeeds = Record<string, string[]>;

export function versionNeeds(file: string): VersionNeeds {
  const elf = readFileSync(file);
  if (elf.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error(`${file}: only 64-bit little-endian ELF is read here`);
  const sectionOffset = Number(elf.readBigUInt64LE(0x28));
  const sectionSize = elf.readUInt16LE(0x3a);
  const sectionCount = elf.readUInt16LE(0x3c);
  const section = (index: number) => {
    const at = sectionOffset + index * sectionSize;
    return {
      type: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 0x18)),
      link: elf.readUInt32LE(at + 0x28),
      info: elf.readUInt32LE(at + 0x2c),
    };
  };
  const needs: VersionNeeds = {};
  for (let index = 0; index < sectionCount; index++) {
    const verneed = section(index);
    if (verneed.type !== SHT_GNU_VERNEED) continue;
    const strings = section(verneed.link).offset;
    const text = (at: number) => elf.toString('latin1', strings + at, elf.indexOf(0, strings + at));
    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32;
    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
    let entry = verneed.offset;
    for (let i = 0; i < verneed.info; i++) {
      const library = text(elf.readUInt32LE(entry + 4));
      needs[library] ??= [];
      const versions = needs[library];
      let aux = entry + elf.readUInt32LE(entry + 8);
      for (let j = 0; j < elf.readUInt16LE(entry + 2); j++) {
        versions.push(text(elf.readUInt32LE(aux + 8)));
        aux += elf.readUInt32LE(aux + 12);
      }
      entry += elf.readUInt32LE(entry + 12);
    }
  }
  return needs;
}

/** `GLIBC_2.34` → { prefix: 'GLIBC', version: [2, 34] }. */
export function parseVersion(name: string): { prefix: string; version: number[] } | undefined {
  const match = /^([A-Z]+)_(\d+(?:\.\d+)*)$/.exec(name);
  return match ? { prefix: match[1]!, version: match[2]!.split('.').map(Number) } : undefined;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference) return difference;
  }
  return 0;
}

/**
 * What Lambda's Node 24 runtime (Amazon Linux 2023) provides: glibc 2.34, and GCC 11's libstdc++ (GLIBCXX 3.4.29,
 * CXXABI 1.3.13). An addon needing any version above these fails to load there.
 */
export const lambdaCeilings: Record<string, readonly number[]> = {
  GLIBC: [2, 34],
  GLIBCXX: [3, 4, 29],
  CXXABI: [1, 3, 13],
};

/** Each needed version above its ceiling, as `libc.so.6: GLIBC_2.35`. */
export function aboveCeilings(needs: VersionNeeds, ceilings = lambdaCeilings): string[] {
  const above: string[] = [];
  for (const [library, versions] of Object.entries(needs)) {
    for (const name of versions) {
      const parsed = parseVersion(name);
      const ceiling = parsed && ceilings[parsed.prefix];
      if (ceiling && compareVersions(parsed.version, ceiling) > 0) above.push(`${library}: ${name}`);
    }
  }
  return above;
}

/** The highest version of each prefix needed (`{ GLIBC: 'GLIBC_2.34' }`), for reports. */
export function highestVersions(needs: VersionNeeds): Record<string, string> {
  const highest: Record<string, { name: string; version: number[] }> = {};
  for (const name of Object.values(needs).flat()) {
    const parsed = parseVersion(name);
    if (!parsed) continue;
    const current = highest[parsed.prefix];
    if (!current || compareVersions(parsed.version, current.version) > 0) highest[parsed.prefix] = { name, ...parsed };
  }
  return Object.fromEntries(Object.entries(highest).map(([prefix, { name }]) => [prefix, name]));
}
