import { Acorn, CreateAcornBody, fieldLimits } from '@squirrelbin/schemas';
import { acornLocation, etagOf, takeAcornToken } from '../acorn-access.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { checkCodeSize, readJson } from '../middleware/body.ts';
import { defineRoute } from '../route.ts';

export const createAcorn = defineRoute(
  {
    name: 'acorns.create',
    method: 'post',
    path: '/api/acorns',
    summary: 'Create an acorn',
    auth: 'required',
    access: { acorns: 'write', identities: 'read', limits: 'write' },
    body: { schema: CreateAcornBody },
    responses: {
      201: { description: 'Created', schema: Acorn, headers: ['Location', 'ETag'] },
      400: { description: 'Invalid body' },
      401: { description: 'No key' },
      413: { description: 'Body or code too large' },
      415: { description: 'Not JSON' },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    await takeAcornToken(c, identity);
    const body = await readJson(c, CreateAcornBody);
    checkCodeSize(body.code, fieldLimits.codeMaxBytes);
    const acorn = await c.var.deps.store.acorns.create({
      ...body,
      description: body.description ?? '',
      ownerId: identity.id,
    });
    c.var.deps.acornCache.remember(acorn);
    c.header('Location', acornLocation(acorn.id));
    c.header('ETag', etagOf(acorn));
    return c.json(acorn, 201);
  },
);
