import { Revision } from '@squirrelbin/schemas';
import { canSeeRevision, loadVisibleAcorn } from '../acorn-access.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const getRevision = defineRoute(
  {
    name: 'revisions.get',
    method: 'get',
    path: '/api/acorns/{id}/revisions/{version}',
    summary: 'One earlier version of an acorn',
    auth: 'optional',
    access: { acorns: 'read', identities: 'read' },
    responses: {
      200: { description: 'The revision', schema: Revision },
      404: { description: 'No such acorn or version' },
    },
  },
  async (c) => {
    const acorn = await loadVisibleAcorn(c);
    const version = c.req.param('version')!;
    const revision = /^[1-9]\d{0,9}$/.test(version)
      ? await c.var.deps.store.acorns.getRevision(acorn, Number(version))
      : undefined;
    if (!revision || !canSeeRevision(acorn, revision, c.get('identity')))
      throw new ApiProblem('revision-not-found', `Acorn ${acorn.id} has no earlier version ${version}`);
    // A revision never changes once written.
    c.header('ETag', `"${revision.version}"`);
    return c.json(revision);
  },
);
