import { type JobResult, JobResultList, JobResultsQuery } from '@squirrelbin/schemas';
import type { StoredResult } from '@squirrelbin/store';
import { loadJob } from '../jobs/access.ts';
import { validate } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const listJobResults = defineRoute(
  {
    name: 'jobs.results',
    method: 'get',
    path: '/api/jobs/{jobId}/results',
    summary: "A job's results, one per finished iteration, in iteration order (its creator or an admin)",
    auth: 'required',
    access: { identities: 'read', jobs: 'read' },
    query: JobResultsQuery,
    responses: {
      200: { description: 'A page of results', schema: JobResultList },
      400: { description: 'Bad limit or cursor' },
      401: { description: 'No key' },
      403: { description: 'Not the creator (nor an admin)' },
      404: { description: 'No such job' },
    },
  },
  async (c) => {
    const job = await loadJob(c);
    const query = validate(JobResultsQuery, c.req.query());
    const result = await c.var.deps.store.jobs.results(job.id, query);
    if (!result.ok) throw new ApiProblem('bad-cursor', 'The cursor does not belong to this list');
    c.header('Cache-Control', 'no-store');
    const page = { items: result.page.items.map(toJobResult), nextCursor: result.page.nextCursor };
    return c.json(page satisfies JobResultList);
  },
);

function toJobResult({ valueJson, ...stored }: StoredResult): JobResult {
  return valueJson === undefined ? stored : { ...stored, value: JSON.parse(valueJson) };
}
