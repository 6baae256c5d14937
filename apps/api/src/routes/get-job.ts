import { Job } from '@squirrelbin/schemas';
import { loadJob } from '../jobs/access.ts';
import { readJobView } from '../jobs/service.ts';
import { defineRoute } from '../route.ts';

export const getJob = defineRoute(
  {
    name: 'jobs.get',
    method: 'get',
    path: '/api/jobs/{jobId}',
    summary: "A job's status, progress and summary (its creator or an admin)",
    auth: 'required',
    access: { identities: 'read', jobs: 'read' },
    responses: {
      200: { description: 'The job', schema: Job },
      401: { description: 'No key' },
      403: { description: 'Not the creator (nor an admin)' },
      404: { description: 'No such job' },
    },
  },
  async (c) => {
    const job = await loadJob(c);
    c.header('Cache-Control', 'no-store');
    return c.json(await readJobView(c.var.deps.store, job));
  },
);
