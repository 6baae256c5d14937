import type { Job } from '@squirrelbin/schemas';
import { loadJob } from '../jobs/access.ts';
import { readJobView } from '../jobs/service.ts';
import { defineRoute } from '../route.ts';
import { HEARTBEAT_MS } from '../run-stream.ts';

/** At most 4 progress events a second (the bound): the job is read this often and sent when it changed. */
export const PROGRESS_INTERVAL_MS = 250;
/**
 * On Lambda the HTTP API buffers the answer, and the function (like every function that runs no acorn) has 10 s:
 * the stream ends after 8 s with the progress so far (no `done`), and the client asks again.
 */
const LAMBDA_STREAM_MS = 8_000;

const encoder = new TextEncoder();
const event = (name: string, job: Job) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(job)}\n\n`);
/** What a client sees change: the rest (runs/s) moves with time alone. */
const progressOf = (job: Job) => JSON.stringify([job.status, job.done, job.counts, job.errors, job.wallMs, job.cpuMs]);

export const jobEvents = defineRoute(
  {
    name: 'jobs.events',
    method: 'get',
    path: '/api/jobs/{jobId}/events',
    summary:
      "A job's progress as server-sent events: `progress` (the job) when it changes, at most 4 a second, then one `done` with the final job",
    auth: 'required',
    access: { identities: 'read', jobs: 'read' },
    responses: {
      200: { description: '`text/event-stream` of `progress` events, then `done`' },
      401: { description: 'No key' },
      403: { description: 'Not the creator (nor an admin)' },
      404: { description: 'No such job' },
    },
  },
  async (c) => {
    const first = await loadJob(c);
    const { store, config } = c.var.deps;
    const left = c.req.raw.signal;
    const deadline = config.onLambda ? Date.now() + LAMBDA_STREAM_MS : Number.POSITIVE_INFINITY;
    let ended: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      ended = resolve;
    });
    c.set('settled', settled);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        let last = '';
        let lastSentAt = Date.now();
        let job = first;
        try {
          for (;;) {
            const view = await readJobView(store, job);
            if (view.finishedAt !== null) {
              controller.enqueue(event('done', view));
              break;
            }
            const progress = progressOf(view);
            if (progress !== last) {
              controller.enqueue(event('progress', view));
              last = progress;
              lastSentAt = Date.now();
            } else if (Date.now() - lastSentAt >= HEARTBEAT_MS) {
              controller.enqueue(encoder.encode(': keep-alive\n\n'));
              lastSentAt = Date.now();
            }
            if (Date.now() + PROGRESS_INTERVAL_MS > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
            if (left.aborted || c.var.deps.jobs.shutdown.signal.aborted) break;
            job = (await store.jobs.get(job.id)) ?? job;
          }
          controller.close();
        } catch (error) {
          // The client left (enqueue on a cancelled stream) or the store failed mid-stream: end it.
          try {
            controller.error(error);
          } catch {}
        } finally {
          ended();
        }
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-store',
        'X-Accel-Buffering': 'no',
      },
    });
  },
);
