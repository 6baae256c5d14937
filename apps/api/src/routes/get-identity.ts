import { IdentityMe } from '@squirrelbin/schemas';
import { requireIdentity } from '../middleware/auth.ts';
import { defineRoute } from '../route.ts';

export const getIdentity = defineRoute(
  {
    name: 'identities.me',
    method: 'get',
    path: '/api/identities/me',
    summary: 'Who this key is: its identity id, when it was made, and whether it is an admin key',
    auth: 'required',
    access: { identities: 'read' },
    responses: {
      200: { description: 'The identity behind the key', schema: IdentityMe },
      401: { description: 'No key, or a key that is not known' },
    },
  },
  (c) => {
    const { id, createdAt, admin } = requireIdentity(c);
    // The answer depends on the key: never cached by anyone else.
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Authorization');
    return c.json({ id, createdAt, admin } satisfies IdentityMe);
  },
);
