import { randomBytes } from 'node:crypto';
import { CreateJobBody, fieldLimits, Job, jobLimits } from '@squirrelbin/schemas';
import { loadVisibleAcorn } from '../acorn-access.ts';
import { jobLocation } from '../jobs/access.ts';
import { cancelJob as cancel, planJob } from '../jobs/engine.ts';
import { readJobView } from '../jobs/service.ts';
import { sendLaneSteps } from '../jobs/sqs-queue.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { readJson } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { checkInputBytes } from '../run-acorn.ts';

/** Seconds a caller at its active-job limit is told to wait: a small job takes about this long. */
const ACTIVE_RETRY_AFTER_SECONDS = 5;

export const startJob = defineRoute(
  {
    name: 'jobs.start',
    method: 'post',
    path: '/api/acorns/{id}/jobs',
    summary:
      'Start a load test (`iterations` runs of the same input at `concurrency`) or a batch (one run per input) of the acorn as it is now',
    auth: 'required',
    access: { acorns: 'read', identities: 'read', jobs: 'write', jobQueue: 'send' },
    body: { schema: CreateJobBody, maxBytes: fieldLimits.endpointBodyMaxBytes },
    responses: {
      202: { description: 'The job, queued', schema: Job, headers: ['Location'] },
      400: { description: 'Not a valid job' },
      401: { description: 'No key' },
      404: { description: 'No such acorn' },
      413: { description: 'Body over 1 MiB, or an input over 16 KiB' },
      429: { description: 'Too many active jobs (2 per identity)', headers: ['Retry-After'] },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    const body = await readJson(c, CreateJobBody, { precheck: checkInputSizes });
    const acorn = await loadVisibleAcorn(c);
    const { store, jobs } = c.var.deps;
    const total = body.kind === 'load' ? body.iterations : body.inputs.length;
    const concurrency =
      body.kind === 'load'
        ? body.concurrency
        : (body.concurrency ?? Math.min(jobLimits.batchConcurrencyDefault, total));
    const { lanes, sliceSize } = planJob(body.kind, total, concurrency);
    const id = randomBytes(16).toString('base64url');
    const isActive = async (jobId: string) => {
      const held = await store.jobs.get(jobId);
      return held !== undefined && held.finishedAt === undefined;
    };
    if (!(await store.jobs.claimActiveSlot(identity.id, id, jobLimits.activeJobsMax, isActive))) {
      throw new ApiProblem(
        'too-many-jobs',
        `You have ${jobLimits.activeJobsMax} jobs queued or running; wait for one to end or cancel one`,
        { headers: { 'Retry-After': String(ACTIVE_RETRY_AFTER_SECONDS) } },
      );
    }
    try {
      const job = await store.jobs.create(
        {
          acornId: acorn.id,
          acornVersion: acorn.version,
          creatorId: identity.id,
          kind: body.kind,
          total,
          concurrency,
          lanes,
          sliceSize,
          language: acorn.language,
          code: acorn.code,
          ...(body.kind === 'load' && body.input !== undefined ? { inputJson: JSON.stringify(body.input) } : {}),
          ...(body.kind === 'batch' ? { inputs: body.inputs.map((input) => JSON.stringify(input)) } : {}),
        },
        { id, localQueue: jobs.local },
      );
      // To the workers: the SQS queue, one message per lane (only this route's bundle carries the SQS client), or
      // this server's local worker, woken now (the store-backed queue has the job already).
      const { queueUrl } = c.var.deps.config.jobs;
      if (queueUrl) await sendLaneSteps(queueUrl, job.id, job.lanes);
      else jobs.onQueued?.();
      c.header('Location', jobLocation(job.id));
      c.header('Cache-Control', 'no-store');
      return c.json(await readJobView(store, job), 202);
    } catch (error) {
      // Not started (the store failed part way, or the queue refused it): the slot goes back, and a job item that
      // was written ends `failed` so that nobody waits for it.
      await (async () => {
        if (await store.jobs.get(id)) await cancel(jobs.engine, jobs.watch, id, 'failed');
        else await store.jobs.releaseActiveSlot(identity.id, id, jobLimits.activeJobsMax);
      })().catch(() => {});
      throw error;
    }
  },
);

/** Each input at most a run input's size (16 KiB of JSON), measured before the schema walks the body. */
function checkInputSizes(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const { input, inputs } = raw as { input?: unknown; inputs?: unknown };
  if (Array.isArray(inputs)) for (const [i, value] of inputs.entries()) checkInputBytes(value, `inputs[${i}]`);
  else checkInputBytes(input);
}
