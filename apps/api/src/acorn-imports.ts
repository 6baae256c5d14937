/**
 * `acorn:{id}` and `acorn:{id}@{version}` imports, read before a run with the importing caller's access (DESIGN.md,
 * "Imports"): the sandbox has no store, so the API hands it every acorn the code could import. Specifiers are found
 * by a scan of the text (in comments and strings too: a few reads too many cost nothing, and the sandbox decides
 * what is actually imported), then the acorns found, level by level, down to the import depth the sandbox allows.
 * An acorn the caller may not read is `null`: the sandbox's error for it is the one for a missing acorn, so nothing
 * of a private acorn shows.
 */
import type { Acorn } from '@squirrelbin/schemas';
import type { Store } from '@squirrelbin/store';
import { canSee, canSeeRevision } from './acorn-access.ts';
import type { AcornCache } from './acorn-cache.ts';

export interface ImportedAcorn {
  id: string;
  version: number;
  language: Acorn['language'];
  code: string;
}

export type ImportedAcorns = Record<string, ImportedAcorn | null>;

/** DESIGN.md, "Limits": imported acorn source per run, and import depth (the running acorn is depth 0). */
export const importLimits = { maxSourceBytes: 512 * 1024, maxDepth: 8, maxAcorns: 64 } as const;

const specifierPattern = /acorn:([A-Za-z0-9_-]{16,64})(?:@([1-9]\d{0,9}))?/g;

/** The normalized `acorn:` specifiers in a text, in order of first appearance. */
export function acornSpecifiers(code: string): string[] {
  if (!code.includes('acorn:')) return [];
  return [
    ...new Set([...code.matchAll(specifierPattern)].map((m) => (m[2] ? `acorn:${m[1]}@${m[2]}` : `acorn:${m[1]}`))),
  ];
}

/** Revisions never change: `id@version` → what the sandbox needs, kept per process. */
const revisions = new Map<string, ImportedAcorn>();
const MAX_CACHED_REVISIONS = 512;

/**
 * Every acorn `code` may import, transitively, as `reader` may read them; undefined when it names none (the common
 * case costs one `includes`). Stops at the sandbox's depth, once the source passes its bound (the sandbox then
 * reports the limit), and after `maxAcorns` reads.
 */
export async function resolveAcornImports(
  code: string,
  reader: { id: string } | undefined,
  store: Store,
  cache: AcornCache,
): Promise<ImportedAcorns | undefined> {
  let level = acornSpecifiers(code);
  if (level.length === 0) return undefined;
  const found: ImportedAcorns = {};
  let bytes = 0;
  let reads = 0;
  for (let depth = 1; depth <= importLimits.maxDepth && level.length > 0; depth++) {
    const fresh = level.filter((specifier) => !(specifier in found)).slice(0, importLimits.maxAcorns - reads);
    reads += fresh.length;
    const read = await Promise.all(fresh.map((specifier) => readImport(specifier, reader, store, cache)));
    const next: string[] = [];
    fresh.forEach((specifier, i) => {
      const acorn = read[i] ?? null;
      found[specifier] = acorn;
      if (!acorn) return;
      bytes += Buffer.byteLength(acorn.code);
      next.push(...acornSpecifiers(acorn.code));
    });
    if (bytes > importLimits.maxSourceBytes || reads >= importLimits.maxAcorns) break;
    level = next;
  }
  return found;
}

async function readImport(
  specifier: string,
  reader: { id: string } | undefined,
  store: Store,
  cache: AcornCache,
): Promise<ImportedAcorn | undefined> {
  const [id, pinned] = specifier.slice('acorn:'.length).split('@') as [string, string | undefined];
  const current = await cache.get(id, (key) => store.acorns.get(key));
  if (!current || !canSee(current, reader)) return undefined;
  const version = pinned === undefined ? current.version : Number(pinned);
  if (version === current.version) {
    return { id, version, language: current.language, code: current.code };
  }
  const key = `${id}@${version}`;
  let revision = revisions.get(key);
  if (!revision) {
    const stored = await store.acorns.getRevision(current, version);
    if (!stored) return undefined;
    // A revision keeps the visibility it was saved with.
    if (!canSeeRevision(current, stored, reader)) return undefined;
    revision = { id, version, language: stored.language, code: stored.code };
    // Only what anyone may read is kept: a private revision is read again, and checked again, each time.
    if (stored.visibility !== 'private') {
      if (revisions.size >= MAX_CACHED_REVISIONS) revisions.delete(revisions.keys().next().value!);
      revisions.set(key, revision);
    }
  }
  return revision;
}
