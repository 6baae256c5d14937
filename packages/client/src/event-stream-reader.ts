/**
 * Reading an event-stream body with the parser. A module of its own so that a bundle which only parses (the SPA's
 * first load, streamed runs) does not carry the reader along (Rollup splits chunks by module).
 */
import { eventStreamParser, type ServerSentEvent } from './server-sent-events.ts';

/** Whether an answer is an event stream (a proxy may answer plain JSON instead). */
export const isEventStream = (response: Response): boolean =>
  response.body !== null && (response.headers.get('Content-Type') ?? '').startsWith('text/event-stream');

/**
 * Reads an event-stream body, calling `onEvent` per event, until the stream ends or `onEvent` returns true (then
 * the connection is let go). Resolves true when `onEvent` stopped it, false when the stream ended first.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => boolean | undefined,
): Promise<boolean> {
  let stopped = false;
  const parser = eventStreamParser((event) => {
    if (!stopped && onEvent(event) === true) stopped = true;
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    while (!stopped) {
      const { done, value } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
        break;
      }
      parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (stopped) void reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  return stopped;
}
