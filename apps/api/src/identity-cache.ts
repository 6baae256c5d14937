/** Key → identity lookups, cached briefly: an identity never changes except by an admin CLI grant. */
import { hashKey, type Identity, type IdentityStore } from '@squirrelbin/store';

export interface IdentityCache {
  find(key: string): Promise<Identity | undefined>;
}

export function createIdentityCache(identities: IdentityStore, ttlMs = 30_000, maxEntries = 10_000): IdentityCache {
  const entries = new Map<string, { identity: Identity | undefined; expires: number }>();
  return {
    async find(key) {
      const hash = hashKey(key);
      const entry = entries.get(hash);
      if (entry && entry.expires > Date.now()) return entry.identity;
      const identity = await identities.findByKey(key);
      // Unknown keys are not cached: a key created by another process must work at once.
      if (identity) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(hash, { identity, expires: Date.now() + ttlMs });
      }
      return identity;
    },
  };
}
