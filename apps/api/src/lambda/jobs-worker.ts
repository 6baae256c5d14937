/**
 * The jobs worker on AWS: consumes the jobs queue (SQS). Each message is one step of one lane of a job,
 * `{"jobId", "lane", "position"}` (queue-message.ts): claim the lane's lease, run one slice (engine.ts), hand the
 * lease over to the next step and send its message. A step that fails is reported as a partial batch failure, so
 * only it comes back (after the visibility timeout); after MAX_RECEIVES deliveries the job is marked `failed`, its
 * lanes stop, and SQS moves what is left to the dead-letter queue. Duplicate and stale deliveries find the lane
 * held or moved on and are dropped.
 */
import { randomBytes } from 'node:crypto';
import { openStore } from '@squirrelbin/store';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAcornCache } from '../acorn-cache.ts';
import { loadConfig } from '../config.ts';
import { workLane } from '../jobs/engine.ts';
import { MAX_RECEIVES, parseJobQueueMessage } from '../jobs/queue-message.ts';
import { createJobServices, type JobServices } from '../jobs/service.ts';
import { sendLaneStep } from '../jobs/sqs-queue.ts';
import { inProcessRunner } from './handler.ts';

/** How long a handed-over lease waits for the next step's message before anyone may take the lane. */
const HANDOFF_MS = 60_000;

const config = loadConfig(process.env);
const runner = inProcessRunner(config);
let services: Promise<JobServices> | undefined;
const getServices = () => {
  services ??= openStore(config.store).then((store) => createJobServices(config, store, runner, createAcornCache(0)));
  services.catch(() => {
    services = undefined;
  });
  return services;
};

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await step(record);
    } catch (error) {
      console.error(
        JSON.stringify({ level: 'error', message: `job step ${record.body}: ${(error as Error).message}` }),
      );
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  // After a catastrophic isolate error, end the process so the platform starts a clean one.
  if (runner.mustExit()) setTimeout(() => process.exit(1), 0);
  return { batchItemFailures };
}

async function step(record: SQSRecord): Promise<void> {
  const message = parseJobQueueMessage(record.body);
  if (!message) {
    // No retry could make it valid: drop it.
    console.error(
      JSON.stringify({ level: 'warn', message: `dropped a malformed job message: ${record.body.slice(0, 200)}` }),
    );
    return;
  }
  const queueUrl = config.jobs.queueUrl;
  if (!queueUrl) throw new Error('JOBS_QUEUE_URL is not set');
  const { engine, watch } = await getServices();
  const { store } = engine;
  const job = await store.jobs.get(message.jobId);
  if (!job) return; // expired or never written: nothing to do
  if (
    Number(record.attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES &&
    (await store.jobs.end(job.id, 'failed'))
  ) {
    console.error(
      JSON.stringify({ level: 'error', message: `job ${job.id} failed: lane ${message.lane} step kept failing` }),
    );
    watch.noteEnded(job.id, 'failed');
  }
  const owner = `lambda:${randomBytes(9).toString('base64url')}`;
  const now = Date.now();
  const claimed = await store.jobs.claimLane(job.id, message.lane, owner, now + engine.leaseMs, {
    handoff: `handoff#${message.position}`,
    now,
  });
  if (!claimed) {
    // Held by a live step, done, or moved on. One case needs us: the step before handed over but died before it
    // sent the next message (this is its message, delivered again): send it now.
    const lane = await store.jobs.lane(job.id, message.lane);
    if (
      lane &&
      !lane.finished &&
      !lane.stopped &&
      lane.position > message.position &&
      lane.leaseOwner === `handoff#${lane.position}` &&
      (lane.leaseExpiresAt ?? 0) < now
    ) {
      await sendLaneStep(queueUrl, { jobId: job.id, lane: lane.lane, position: lane.position });
    }
    return;
  }
  const outcome = await workLane(engine, watch, job, claimed, {
    owner,
    maxSlices: 1,
    handoff: { owner: `handoff#${claimed.position + 1}`, ms: HANDOFF_MS },
  });
  if (outcome === 'paused') {
    await sendLaneStep(queueUrl, { jobId: job.id, lane: claimed.lane, position: claimed.position + 1 });
  }
}
