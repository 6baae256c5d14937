import { JobList, PageQuery } from '@squirrelbin/schemas';
import { loadVisibleAcorn } from '../acorn-access.ts';
import { readJobView } from '../jobs/service.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { validate } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const listJobs = defineRoute(
  {
    name: 'jobs.list',
    method: 'get',
    path: '/api/acorns/{id}/jobs',
    summary: "The caller's jobs on this acorn, newest first",
    auth: 'required',
    access: { acorns: 'read', identities: 'read', jobs: 'read' },
    query: PageQuery,
    responses: {
      200: { description: 'A page of jobs', schema: JobList },
      400: { description: 'Bad limit or cursor' },
      401: { description: 'No key' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    const query = validate(PageQuery, c.req.query());
    const acorn = await loadVisibleAcorn(c);
    const { store } = c.var.deps;
    const result = await store.jobs.listFor(acorn.id, identity.id, query);
    if (!result.ok) throw new ApiProblem('bad-cursor', 'The cursor does not belong to this list');
    const items = await Promise.all(result.page.items.map((job) => readJobView(store, job)));
    c.header('Cache-Control', 'no-store');
    return c.json({ items, nextCursor: result.page.nextCursor } satisfies JobList);
  },
);
