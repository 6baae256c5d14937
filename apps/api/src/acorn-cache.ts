/**
 * Read-through cache of current acorns, so a hot GET skips the store.
 *
 * Correct on one server: every write of this process goes through `remember`/`forget`, and an entry is
 * only replaced by an equal or newer version, so a slow read can never put back an older one. With several
 * servers on one store, another server's write is seen here at most `ttlMs` later (reads revalidate after
 * that); writes are never affected, since they are conditional on the version in the store.
 * See docs/decisions/002-acorn-read-cache.md.
 */
import type { Acorn } from '@squirrelbin/schemas';

interface Entry {
  acorn: Acorn | undefined;
  version: number;
  expires: number;
  bytes: number;
}

export interface AcornCache {
  get(id: string, load: (id: string) => Promise<Acorn | undefined>): Promise<Acorn | undefined>;
  remember(acorn: Acorn): void;
  forget(id: string): void;
}

export function createAcornCache(ttlMs: number, maxBytes = 64 * 1024 * 1024): AcornCache {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  function put(id: string, acorn: Acorn | undefined, version: number) {
    if (ttlMs === 0) return;
    const existing = entries.get(id);
    if (existing && existing.expires > Date.now() && existing.version > version) return;
    if (existing) {
      entries.delete(id);
      bytes -= existing.bytes;
    }
    const size = acorn ? acorn.code.length * 2 + 1_024 : 64;
    entries.set(id, { acorn, version, expires: Date.now() + ttlMs, bytes: size });
    bytes += size;
    for (const [oldId, old] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(oldId);
      bytes -= old.bytes;
    }
  }

  return {
    async get(id, load) {
      const entry = entries.get(id);
      if (entry && entry.expires > Date.now()) return entry.acorn;
      const acorn = await load(id);
      // A miss is cached too, but below any version, so a create never loses to it.
      put(id, acorn, acorn?.version ?? 0);
      return acorn;
    },
    remember(acorn) {
      put(acorn.id, acorn, acorn.version);
    },
    forget(id) {
      // A tombstone above every version: a read that started before the delete cannot bring it back.
      put(id, undefined, Number.MAX_SAFE_INTEGER);
    },
  };
}
