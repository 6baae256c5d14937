import { ListRevisionsQuery, RevisionList } from '@squirrelbin/schemas';
import { canSeeRevision, loadVisibleAcorn } from '../acorn-access.ts';
import { validate } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const listRevisions = defineRoute(
  {
    name: 'revisions.list',
    method: 'get',
    path: '/api/acorns/{id}/revisions',
    summary: 'Earlier versions of an acorn, newest first',
    auth: 'optional',
    access: { acorns: 'read', identities: 'read' },
    query: ListRevisionsQuery,
    responses: {
      200: { description: 'A page of revisions', schema: RevisionList },
      400: { description: 'Bad cursor or limit' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const query = validate(ListRevisionsQuery, c.req.query());
    const acorn = await loadVisibleAcorn(c);
    const result = await c.var.deps.store.acorns.listRevisions(acorn, { limit: query.limit, cursor: query.cursor });
    if (!result.ok) throw new ApiProblem('bad-cursor');
    const identity = c.get('identity');
    const items = result.page.items.filter((revision) => canSeeRevision(acorn, revision, identity));
    return c.json({ ...result.page, items });
  },
);
