import { CreatedIdentity } from '@squirrelbin/schemas';
import * as z from 'zod';
import { readJson } from '../middleware/body.ts';
import { takeOrRefuse } from '../rate-limit.ts';
import { defineRoute } from '../route.ts';

export const createIdentity = defineRoute(
  {
    name: 'identities.create',
    method: 'post',
    path: '/api/identities',
    summary: 'Create an anonymous identity; its key is shown once',
    auth: 'none',
    access: { identities: 'write', limits: 'write' },
    body: { schema: z.strictObject({}), optional: true },
    responses: {
      201: { description: 'Created', schema: CreatedIdentity },
      429: { description: 'Too many identities from this address', headers: ['Retry-After'] },
    },
  },
  async (c) => {
    const { identityLimiter, clientAddress, store } = c.var.deps;
    await takeOrRefuse('Too many new identities from this address', [identityLimiter, clientAddress(c)]);
    await readJson(c, z.strictObject({}), { optional: true });
    const { id, key, createdAt } = await store.identities.create();
    c.header('Cache-Control', 'no-store');
    return c.json({ id, key, createdAt }, 201);
  },
);
