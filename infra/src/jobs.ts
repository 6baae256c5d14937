/**
 * Jobs on AWS (DESIGN.md, "Jobs"): an SQS queue of job steps with a dead-letter queue, and the worker Lambda it feeds.
 * A message is one slice of one lane of a job (`JobQueueMessage`); the worker runs it and sends the lane's next step.
 */

import { longestSliceMs, MAX_RECEIVES } from '@squirrelbin/api/jobs/queue-message';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type Access, bundledFunction, grantAccess, runEnvironment } from './api.ts';
import { jobsWorker, lambdaBundleSettings, shippedFiles } from './lambda-bundle.ts';
import type { Settings } from './settings.ts';
import type { Tables } from './tables.ts';

/**
 * What the worker needs: the job tables (its lanes, results and summary), the acorn and its imports, read with the
 * job creator's access (so identities too), and the queue, to send each lane's next step.
 */
export const jobsWorkerAccess = {
  jobs: 'write',
  acorns: 'read',
  identities: 'read',
  jobQueue: 'send',
} as const satisfies Access;

/**
 * Deliveries of one message before SQS moves it to the dead-letter queue: one above the worker's `MAX_RECEIVES` (4,
 * apps/api/src/jobs/queue-message.ts), at which the worker marks the job `failed`, so that it gets a delivery to do so.
 */
export const maxReceiveCount = MAX_RECEIVES + 1;
/** How long the dead-letter queue keeps a message: SQS's longest, and longer than the queue's own (4 days). */
export const deadLetterRetention = Duration.days(14);

/** Lambda's longest timeout. */
const lambdaMaxTimeoutSeconds = 900;

export interface JobTimeouts {
  /** The longest one slice may take (`longestSliceMs`). */
  sliceMs: number;
  /** The worker function's timeout: the longest slice, in whole seconds. */
  workerTimeoutSeconds: number;
  /**
   * The queue's: a fifth above the worker's, so a message is never handed to a second worker while the first may
   * still be running it (AWS refuses an event source whose queue's visibility timeout is below the function's).
   */
  visibilityTimeoutSeconds: number;
}

export function jobTimeouts(runMaxTimeoutMs: number): JobTimeouts {
  const sliceMs = longestSliceMs(runMaxTimeoutMs);
  const workerTimeoutSeconds = Math.ceil(sliceMs / 1000);
  if (workerTimeoutSeconds > lambdaMaxTimeoutSeconds) {
    throw new Error(
      `context runMaxTimeoutMs: ${runMaxTimeoutMs} ms makes a job slice take up to ${workerTimeoutSeconds} s, ` +
        `above Lambda's ${lambdaMaxTimeoutSeconds} s`,
    );
  }
  return { sliceMs, workerTimeoutSeconds, visibilityTimeoutSeconds: Math.ceil((workerTimeoutSeconds * 6) / 5) };
}

export interface JobsProps {
  tables: Tables;
  settings: Settings;
}

export class Jobs extends Construct {
  /** Job steps; the routes that declare `jobQueue: 'send'` and the worker send to it. */
  readonly queue: sqs.Queue;
  /** Steps that failed `maxReceiveCount` times: kept for inspection and redrive, and alarmed on. */
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: nodejs.NodejsFunction;
  readonly timeouts: JobTimeouts;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    const { settings, tables } = props;
    this.timeouts = jobTimeouts(settings.runMaxTimeoutMs);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(this.timeouts.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.worker = bundledFunction(this, 'worker', lambdaBundleSettings(jobsWorker), settings, {
      description: 'SquirrelBin jobs worker: runs one slice of a job lane per message of the jobs queue',
      memorySize: settings.runMemoryMb,
      timeout: Duration.seconds(this.timeouts.workerTimeoutSeconds),
      environment: { ...tables.environment(), ...runEnvironment(settings) },
      shipped: () => shippedFiles(jobsWorker),
    });
    grantAccess(this.worker, jobsWorkerAccess, { tables, jobQueue: this.queue });
    // One slice per invocation; a failed one comes back alone, then goes to the dead letters. The event source caps
    // how many environments jobs take (the share of Lambda they may use), whatever the queue's depth.
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: settings.jobWorkerConcurrency,
      }),
    );
  }
}
