import { describe, expect, it } from 'vitest';
import { readEventStream } from './event-stream-reader.ts';
import { eventStreamParser, type ServerSentEvent } from './server-sent-events.ts';

function parse(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = eventStreamParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

const stream = 'event: log\ndata: {"message":"a"}\n\n: keep-alive\n\nevent: result\ndata: {"status":"ok"}\n\n';
const expected = [
  { event: 'log', data: '{"message":"a"}' },
  { event: 'result', data: '{"status":"ok"}' },
];

describe('eventStreamParser', () => {
  it('reads events separated by blank lines and skips comments', () => {
    expect(parse([stream])).toEqual(expected);
  });

  it('gives the same events whatever the chunk boundaries (mid-line, mid-event, one character at a time)', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
    }
    expect(parse([...stream])).toEqual(expected);
  });

  it('accepts CRLF line ends, also split between chunks', () => {
    const crlf = stream.replaceAll('\n', '\r\n');
    expect(parse([crlf])).toEqual(expected);
    const splitAt = crlf.indexOf('\r\n') + 1;
    expect(parse([crlf.slice(0, splitAt), crlf.slice(splitAt)])).toEqual(expected);
  });

  it('joins data lines with a newline, and keeps a value without the space after the colon', () => {
    expect(parse(['data: one\ndata:two\ndata\n\n'])).toEqual([{ event: 'message', data: 'one\ntwo\n' }]);
  });

  it('ignores comment-only blocks and fields it does not know', () => {
    expect(parse([': keep-alive\n\nid: 7\nretry: 10\n\n'])).toEqual([]);
  });

  it('ends an event the stream ended in without its blank line', () => {
    expect(parse(['event: result\ndata: {}'])).toEqual([{ event: 'result', data: '{}' }]);
  });
});

describe('readEventStream', () => {
  const body = (chunks: (string | Uint8Array)[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks)
          controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
        controller.close();
      },
    });

  it('hands over every event and resolves false when the stream ends', async () => {
    const events: ServerSentEvent[] = [];
    expect(await readEventStream(body([stream.slice(0, 7), stream.slice(7)]), (event) => void events.push(event))).toBe(
      false,
    );
    expect(events).toEqual(expected);
  });

  it('stops when the handler says so, and lets the connection go', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const seen: string[] = [];
    expect(
      await readEventStream(endless, ({ event }) => {
        seen.push(event);
        return event === 'a';
      }),
    ).toBe(true);
    expect(seen).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: ü\n\n');
    const at = bytes.indexOf(0xc3) + 1;
    const events: ServerSentEvent[] = [];
    await readEventStream(body([bytes.slice(0, at), bytes.slice(at)]), (event) => void events.push(event));
    expect(events).toEqual([{ event: 'message', data: 'ü' }]);
  });
});
