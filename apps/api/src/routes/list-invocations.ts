import { InvocationList, PageQuery } from '@squirrelbin/schemas';
import { loadOwnAcorn } from '../acorn-access.ts';
import { validate } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const listInvocations = defineRoute(
  {
    name: 'invocations.list',
    method: 'get',
    path: '/api/acorns/{id}/invocations',
    summary: "An endpoint acorn's recent calls, newest first, kept 7 days (owner or admin)",
    auth: 'required',
    access: { acorns: 'read', identities: 'read', invocations: 'read' },
    query: PageQuery,
    responses: {
      200: { description: 'A page of invocations', schema: InvocationList },
      400: { description: 'Bad limit or cursor' },
      401: { description: 'No key' },
      403: { description: 'Not the owner (nor an admin)' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const acorn = await loadOwnAcorn(c);
    const query = validate(PageQuery, c.req.query());
    // This process's latest calls first, so the list is up to date at least for the server being asked.
    await c.var.deps.invocationLog.flush();
    const result = await c.var.deps.store.invocations.list(acorn.id, query);
    if (!result.ok) throw new ApiProblem('bad-cursor', 'The cursor does not belong to this list');
    c.header('Cache-Control', 'no-store');
    return c.json(result.page satisfies InvocationList);
  },
);
