/** The jobs queue on AWS: SQS. A job's start sends one message per lane; each step sends its lane's next. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueueMessage } from './queue-message.ts';

let client: SQSClient | undefined;
const sqs = () => {
  client ??= new SQSClient({});
  return client;
};

/** The first step of every lane of a new job. */
export async function sendLaneSteps(queueUrl: string, jobId: string, lanes: number): Promise<void> {
  await Promise.all(Array.from({ length: lanes }, (_, lane) => sendLaneStep(queueUrl, { jobId, lane, position: 0 })));
}

export async function sendLaneStep(queueUrl: string, message: JobQueueMessage): Promise<void> {
  await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
}
