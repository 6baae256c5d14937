/**
 * Just enough of SQS for the bundled job functions (the SDK's JSON protocol, `X-Amz-Target: AmazonSQS.SendMessage`,
 * pointed here with `AWS_ENDPOINT_URL_SQS` and a queue URL of this server): one queue, whose sent messages are recorded
 * for the test to hand to the worker as SQS events. Only the function the test says is calling (`caller`) may send, and
 * only when `maySend` lets it, as IAM would; anything else gets SQS's AccessDenied and is recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  messageId: string;
  body: string;
  delaySeconds: number;
  /** The function that sent it (`caller` at the time). */
  sender: string;
  sentAt: number;
}

export interface FakeSqs {
  /** For AWS_ENDPOINT_URL_SQS. */
  endpoint: string;
  /** The one queue's URL (JOBS_QUEUE_URL). */
  queueUrl: string;
  queueArn: string;
  /** Every message sent, in order. */
  messages: SentMessage[];
  /** `SendMessage by jobs.get`, for every send refused. */
  denied: string[];
  /** The function being invoked: the test sets it before each invocation (they run one at a time). */
  caller: string;
  close(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export async function startFakeSqs(options: {
  queueName: string;
  /** Whether a function was granted sqs:SendMessage on the queue. */
  maySend: (caller: string) => boolean;
}): Promise<FakeSqs> {
  const messages: SentMessage[] = [];
  const denied: string[] = [];
  const state = { caller: '' };
  let queueUrl = '';

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const reply = (status: number, body: unknown, queryError?: string) => {
        res.writeHead(status, {
          'Content-Type': 'application/x-amz-json-1.0',
          'x-amzn-RequestId': randomUUID(),
          ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
        });
        res.end(JSON.stringify(body));
      };
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        reply(400, { __type: 'com.amazonaws.sqs#InvalidRequest', message: 'not JSON' });
        return;
      }
      if (operation !== 'SendMessage' && operation !== 'SendMessageBatch') {
        reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `fake SQS: no ${operation}` });
        return;
      }
      if (input.QueueUrl !== queueUrl) {
        reply(
          400,
          { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
          'AWS.SimpleQueueService.NonExistentQueue;Sender',
        );
        return;
      }
      // SendMessageBatch is authorized as SendMessage.
      if (!options.maySend(state.caller)) {
        denied.push(`${operation} by ${state.caller}`);
        reply(
          400,
          {
            __type: 'com.amazon.coral.service#AccessDeniedException',
            message: `User: arn:aws:sts::123456789012:assumed-role/${state.caller}-role/${state.caller} is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:123456789012:${options.queueName} because no identity-based policy allows the sqs:sendmessage action`,
          },
          'AccessDenied;Sender',
        );
        return;
      }
      const record = (body: string, delaySeconds: unknown) => {
        const message = {
          messageId: randomUUID(),
          body,
          delaySeconds: typeof delaySeconds === 'number' ? delaySeconds : 0,
          sender: state.caller,
          sentAt: Date.now(),
        };
        messages.push(message);
        return { MessageId: message.messageId, MD5OfMessageBody: md5(body) };
      };
      if (operation === 'SendMessage') {
        reply(200, record(String(input.MessageBody), input.DelaySeconds));
        return;
      }
      const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
      reply(200, {
        Successful: entries.map((entry) => ({ Id: entry.Id, ...record(entry.MessageBody, entry.DelaySeconds) })),
        Failed: [],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  queueUrl = `${endpoint}/123456789012/${options.queueName}`;
  return {
    endpoint,
    queueUrl,
    queueArn: `arn:aws:sqs:eu-west-1:123456789012:${options.queueName}`,
    messages,
    denied,
    get caller() {
      return state.caller;
    },
    set caller(name: string) {
      state.caller = name;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The event Lambda's SQS poller hands the worker for one message (batch size 1): its body, id, receive count and
 * the attributes Lambda passes on.
 */
export function sqsEvent(queue: Pick<FakeSqs, 'queueArn'>, message: SentMessage, receiveCount = 1) {
  return {
    Records: [
      {
        messageId: message.messageId,
        receiptHandle: `AQEB${Buffer.from(`${message.messageId}:${receiveCount}`).toString('base64')}`,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: `AROAEXAMPLEROLEID:${message.sender}`,
          ApproximateFirstReceiveTimestamp: String(message.sentAt + 5),
        },
        messageAttributes: {},
        md5OfBody: md5(message.body),
        eventSource: 'aws:sqs',
        eventSourceARN: queue.queueArn,
        awsRegion: 'eu-west-1',
      },
    ],
  };
}
