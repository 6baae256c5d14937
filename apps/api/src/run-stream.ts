/**
 * Streamed runs (DESIGN.md, "Streaming"): with `Accept: text/event-stream` a run route answers server-sent events —
 * a `log` event per console line as the sandbox reports it, then one `result` event with the ordinary run result —
 * flushed as written, with a comment every 15 s so proxies keep the connection. A client that leaves aborts the run.
 * On Lambda API Gateway buffers the answer: the same events arrive at once.
 */
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import type { Context } from 'hono';
import type { AppEnv } from './deps.ts';

export const HEARTBEAT_MS = 15_000;

export const wantsEventStream = (c: Context<AppEnv>) => /\btext\/event-stream\b/i.test(c.req.header('accept') ?? '');

const encoder = new TextEncoder();
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

/** Log events queued until the stream is read, then written as they come. */
export class LogRelay {
  #queue: Uint8Array[] = [];
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #closed = false;

  readonly onLog = (entry: LogEntry) => this.#write(event('log', entry));

  #write(chunk: Uint8Array) {
    if (this.#closed) return;
    if (this.#controller) this.#controller.enqueue(chunk);
    else this.#queue.push(chunk);
  }

  /**
   * The answer: events so far, then the rest as the run goes, the `result` when `outcome` resolves with one (a
   * cancelled run just ends the stream). `onCancel` runs when the client stops reading.
   */
  response(outcome: Promise<RunResult | undefined>, onCancel: () => void): Response {
    let heartbeat: NodeJS.Timeout | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        for (const chunk of this.#queue) controller.enqueue(chunk);
        this.#queue = [];
        heartbeat = setInterval(() => this.#write(encoder.encode(': keep-alive\n\n')), HEARTBEAT_MS);
        outcome
          .then((result) => {
            if (result) this.#write(event('result', result));
          })
          .finally(() => {
            clearInterval(heartbeat);
            if (this.#closed) return;
            this.#closed = true;
            controller.close();
          });
      },
      cancel: () => {
        this.#closed = true;
        clearInterval(heartbeat);
        onCancel();
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-store',
        // Tell buffering proxies (nginx) to pass each event on at once.
        'X-Accel-Buffering': 'no',
      },
    });
  }
}
