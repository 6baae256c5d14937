import { AcornList, ListAcornsQuery } from '@squirrelbin/schemas';
import { requireIdentity } from '../middleware/auth.ts';
import { validate } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const listAcorns = defineRoute(
  {
    name: 'acorns.list',
    method: 'get',
    path: '/api/acorns',
    summary: 'List public acorns (or your own with mine=true), newest first',
    auth: 'optional',
    access: { acorns: 'read', identities: 'read' },
    query: ListAcornsQuery,
    responses: {
      200: { description: 'A page', schema: AcornList },
      400: { description: 'Bad cursor or limit' },
      401: { description: '`mine` without a key' },
    },
  },
  async (c) => {
    const query = validate(ListAcornsQuery, c.req.query());
    const { acorns } = c.var.deps.store;
    const options = { limit: query.limit, cursor: query.cursor, q: query.q || undefined };
    const result =
      query.mine === 'true'
        ? await acorns.listByOwner(requireIdentity(c).id, options)
        : await acorns.listPublic(options);
    if (!result.ok) throw new ApiProblem('bad-cursor');
    return c.json(result.page);
  },
);
