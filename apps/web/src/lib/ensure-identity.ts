/** The first save makes an anonymous identity; its key stays in this browser (export it from Settings). */
import type { CreatedIdentity } from '@squirrelbin/schemas';
import { api } from './api-client';
import { getIdentity, setIdentity } from './identity-store';

let pending: Promise<string> | undefined;

export function createIdentity(): Promise<CreatedIdentity> {
  return api<CreatedIdentity>('/api/identities', { method: 'POST', key: null });
}

/** The stored key, or a new identity's key when there is none yet (one request even if called twice). */
export function ensureIdentity(): Promise<string> {
  const stored = getIdentity();
  if (stored) return Promise.resolve(stored.key);
  pending ??= createIdentity()
    .then((created) => {
      // Made here, so it exists nowhere else until the user backs it up.
      setIdentity({ key: created.key, id: created.id, backedUp: false });
      return created.key;
    })
    .finally(() => {
      pending = undefined;
    });
  return pending;
}
