/** Who may see and change an acorn. A private acorn of someone else does not exist, as far as the caller can tell. */
import { type Acorn, AcornId } from '@squirrelbin/schemas';
import type { Identity } from '@squirrelbin/store';
import type { Context } from 'hono';
import type { AppEnv } from './deps.ts';
import { requireIdentity } from './middleware/auth.ts';
import { ApiProblem } from './problem.ts';
import { takeOrRefuse } from './rate-limit.ts';

export const canSee = (acorn: Acorn, identity: Pick<Identity, 'id'> | undefined) =>
  acorn.visibility !== 'private' || acorn.ownerId === identity?.id;

/**
 * A revision keeps the visibility it was saved with: code saved while the acorn was private stays the owner's even
 * after the acorn is made public or unlisted.
 */
export const canSeeRevision = (
  acorn: Acorn,
  revision: { visibility: Acorn['visibility'] },
  identity?: Pick<Identity, 'id'>,
) => revision.visibility !== 'private' || acorn.ownerId === identity?.id;

/** The `{id}` path parameter; a string that cannot be an id names no acorn (404), and never reaches the store. */
export function acornIdParam(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!AcornId.safeParse(id).success) throw new ApiProblem('acorn-not-found', 'No such acorn');
  return id;
}

/** The current acorn, through the read cache; 404 when missing or hidden from the caller. */
export async function loadVisibleAcorn(c: Context<AppEnv>, id = acornIdParam(c)): Promise<Acorn> {
  const { acornCache, store } = c.var.deps;
  const acorn = await acornCache.get(id, (key) => store.acorns.get(key));
  if (!acorn || !canSee(acorn, c.get('identity'))) throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
  return acorn;
}

/**
 * An acorn the caller owns, or any acorn for an admin (its invocations, its traffic): 401 without a key, 404 when
 * missing or hidden, 403 when visible but someone else's. Read through the store: ownership must be current.
 */
export async function loadOwnAcorn(c: Context<AppEnv>): Promise<Acorn> {
  const identity = requireIdentity(c);
  const id = acornIdParam(c);
  const acorn = await c.var.deps.store.acorns.get(id);
  if (!acorn || (!identity.admin && !canSee(acorn, identity)))
    throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
  if (!identity.admin) assertOwner(acorn, identity, 'Only the owner (or an admin) can see this');
  return acorn;
}

/** 403 for an acorn the caller can see but does not own. */
export function assertOwner(acorn: Acorn, identity: Identity, detail = 'Only the owner can change this acorn'): void {
  if (acorn.ownerId !== identity.id) {
    throw new ApiProblem('forbidden', detail);
  }
}

export const etagOf = (acorn: { version: number }) => `"${acorn.version}"`;
export const acornLocation = (id: string) => `/api/acorns/${id}`;

/** Acorn creates and forks: per identity, and per client address (identities are free to make). */
export async function takeAcornToken(c: Context<AppEnv>, identity: Identity): Promise<void> {
  const { acornLimiter, acornAddressLimiter, clientAddress } = c.var.deps;
  await takeOrRefuse(
    'Too many new acorns; wait a little',
    [acornLimiter, identity.id],
    [acornAddressLimiter, clientAddress(c)],
  );
}
