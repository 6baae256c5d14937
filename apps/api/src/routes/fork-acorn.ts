import { Acorn, ForkAcornBody } from '@squirrelbin/schemas';
import { acornLocation, etagOf, loadVisibleAcorn, takeAcornToken } from '../acorn-access.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { readJson } from '../middleware/body.ts';
import { defineRoute } from '../route.ts';

export const forkAcorn = defineRoute(
  {
    name: 'acorns.fork',
    method: 'post',
    path: '/api/acorns/{id}/fork',
    summary: "Copy an acorn into the caller's own (keeps its visibility unless the body names one)",
    auth: 'required',
    access: { acorns: 'write', identities: 'read', limits: 'write' },
    body: { schema: ForkAcornBody, optional: true },
    responses: {
      201: { description: 'The fork', schema: Acorn, headers: ['Location', 'ETag'] },
      401: { description: 'No key' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    await takeAcornToken(c, identity);
    const body = await readJson(c, ForkAcornBody, { optional: true });
    const source = await loadVisibleAcorn(c);
    const fork = await c.var.deps.store.acorns.create({
      ownerId: identity.id,
      title: body.title ?? source.title,
      description: source.description,
      language: source.language,
      code: source.code,
      visibility: body.visibility ?? source.visibility,
      forkOf: source.id,
    });
    c.var.deps.acornCache.remember(fork);
    c.header('Location', acornLocation(fork.id));
    c.header('ETag', etagOf(fork));
    return c.json(fork, 201);
  },
);
