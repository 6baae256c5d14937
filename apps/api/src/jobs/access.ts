/** Who may see a job: its creator, or an admin. */
import type { StoredJob } from '@squirrelbin/store';
import type { Context } from 'hono';
import type { AppEnv } from '../deps.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { ApiProblem } from '../problem.ts';

export const jobLocation = (id: string) => `/api/jobs/${id}`;

/** The job of the path's `{jobId}`: 401 without a key, 404 when there is none, 403 for anyone but its creator or an admin. */
export async function loadJob(c: Context<AppEnv>): Promise<StoredJob> {
  const identity = requireIdentity(c);
  const id = c.req.param('jobId') ?? '';
  const job = await c.var.deps.store.jobs.get(id);
  if (!job) throw new ApiProblem('job-not-found', `No job ${id}`);
  if (job.creatorId !== identity.id && !identity.admin) {
    throw new ApiProblem('forbidden', 'Only the job’s creator (or an admin) can see it');
  }
  return job;
}
