import { describe, expect, it } from 'vitest';
import { eventStreamParser, type ServerSentEvent } from './server-sent-events';

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
