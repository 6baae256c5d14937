import { acornIdParam, assertOwner } from '../acorn-access.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const deleteAcorn = defineRoute(
  {
    name: 'acorns.delete',
    method: 'delete',
    path: '/api/acorns/{id}',
    summary: 'Delete an acorn (its owner, or an admin)',
    auth: 'required',
    access: { acorns: 'write', identities: 'read' },
    responses: {
      204: { description: 'Deleted' },
      401: { description: 'No key' },
      403: { description: 'Not the owner' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    const id = acornIdParam(c);
    const { store, acornCache } = c.var.deps;
    const acorn = await store.acorns.get(id);
    const hidden = acorn?.visibility === 'private' && acorn.ownerId !== identity.id && !identity.admin;
    if (!acorn || hidden) throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
    if (!identity.admin) assertOwner(acorn, identity);
    if (!(await store.acorns.delete(id))) throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
    acornCache.forget(id);
    return c.body(null, 204);
  },
);
