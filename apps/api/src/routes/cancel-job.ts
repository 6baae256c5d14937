import { isFinishedJob, Job } from '@squirrelbin/schemas';
import { loadJob } from '../jobs/access.ts';
import { cancelJob as cancel } from '../jobs/engine.ts';
import { readJobView } from '../jobs/service.ts';
import { defineRoute } from '../route.ts';

export const cancelJob = defineRoute(
  {
    name: 'jobs.cancel',
    method: 'delete',
    path: '/api/jobs/{jobId}',
    summary: 'Cancel a job: no iteration starts after this; those in flight finish and are recorded',
    auth: 'required',
    access: { identities: 'read', jobs: 'write' },
    responses: {
      202: { description: 'Cancelled; the job as it is now', schema: Job },
      204: { description: 'The job had already ended' },
      401: { description: 'No key' },
      403: { description: 'Not the creator (nor an admin)' },
      404: { description: 'No such job' },
    },
  },
  async (c) => {
    const job = await loadJob(c);
    const { jobs, store } = c.var.deps;
    if (isFinishedJob(job.status) || !(await cancel(jobs.engine, jobs.watch, job.id))) return c.body(null, 204);
    jobs.onQueued?.();
    const now = await store.jobs.get(job.id);
    c.header('Cache-Control', 'no-store');
    return c.json(await readJobView(store, now ?? { ...job, status: 'cancelled' }), 202);
  },
);
