import * as z from 'zod';

/** Returned once by `POST /api/identities`: only the key's hash is stored. */
export const CreatedIdentity = z.object({
  id: z.string(),
  key: z.string().startsWith('sqb_'),
  createdAt: z.iso.datetime(),
});
export type CreatedIdentity = z.infer<typeof CreatedIdentity>;

/** Shape of a key, checked before any lookup so junk never reaches the store. */
export const IdentityKey = z.string().regex(/^sqb_[A-Za-z0-9_-]{20,100}$/);

/** `GET /api/identities/me`: who a key is. */
export const IdentityMe = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  admin: z.boolean(),
});
export type IdentityMe = z.infer<typeof IdentityMe>;
