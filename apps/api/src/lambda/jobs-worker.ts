/**
 * The jobs worker on AWS: consumes the jobs queue (SQS). Each message is one step of one lane of a job,
 * `{"jobId": "...", "lane": 0, "position": 0}`; see apps/api/src/jobs/. Failed messages are reported as partial
 * batch failures so that only they come back.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  // Filled in by the jobs engine.
  return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
}
