/** The browser's identity (key and, once known, its id), kept in localStorage and observable from React. */
import { useSyncExternalStore } from 'react';

export interface StoredIdentity {
  key: string;
  /** Learned from POST /api/identities or GET /api/identities/me; null until then. */
  id: string | null;
  /**
   * False while a key made in this browser has not been copied or downloaded yet: it exists nowhere else.
   * Absent for imported keys (they came from somewhere) and for entries written before this field existed.
   */
  backedUp?: boolean;
}

const storageKey = 'squirrelbin.identity';
const listeners = new Set<() => void>();
let cached: StoredIdentity | null | undefined;

function read(): StoredIdentity | null {
  if (cached !== undefined) return cached;
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Partial<StoredIdentity>) : null;
    cached =
      parsed && typeof parsed.key === 'string'
        ? {
            key: parsed.key,
            id: parsed.id ?? null,
            ...(typeof parsed.backedUp === 'boolean' ? { backedUp: parsed.backedUp } : {}),
          }
        : null;
  } catch {
    cached = null;
  }
  return cached;
}

function emit(): void {
  for (const listener of listeners) listener();
}

export function getIdentity(): StoredIdentity | null {
  return read();
}

export function setIdentity(identity: StoredIdentity | null): void {
  cached = identity;
  if (identity) localStorage.setItem(storageKey, JSON.stringify(identity));
  else localStorage.removeItem(storageKey);
  emit();
}

/** Records the identity id once a response reveals it, without touching the key. */
export function learnIdentityId(id: string): void {
  const current = read();
  if (current && current.id !== id) setIdentity({ ...current, id });
}

/** The key now exists outside this browser (copied or downloaded). */
export function markKeyBackedUp(): void {
  const current = read();
  if (current && current.backedUp === false) setIdentity({ ...current, backedUp: true });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === storageKey) {
      cached = undefined;
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useIdentity(): StoredIdentity | null {
  return useSyncExternalStore(subscribe, read, () => null);
}
