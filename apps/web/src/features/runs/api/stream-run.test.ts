import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { jsonResponse } from '../../../testing/render';
import { streamRun } from './stream-run';

const result: RunResult = {
  status: 'ok',
  value: 2,
  preview: '2',
  logs: [{ level: 'log', message: 'hello', t: 3 }],
  wallMs: 5,
  cpuMs: 4,
  truncated: { logs: false, value: false },
};

/** An event-stream response whose body arrives in these pieces. */
function eventStream(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}

describe('streamRun', () => {
  it('asks for an event stream, hands over each log line, and returns the result', async () => {
    const text = `event: log\ndata: {"level":"log","message":"hello","t":3}\n\n: keep-alive\n\nevent: result\ndata: ${JSON.stringify(result)}\n\n`;
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => eventStream([text.slice(0, 20), text.slice(20)]));
    vi.stubGlobal('fetch', fetch);
    const logs: LogEntry[] = [];
    await expect(streamRun('/api/run', { code: '' }, { onLog: (entry) => logs.push(entry) })).resolves.toEqual(result);
    expect(logs).toEqual([{ level: 'log', message: 'hello', t: 3 }]);
    expect(new Headers(fetch.mock.calls[0]![1]!.headers).get('Accept')).toBe('text/event-stream');
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: log\ndata: {"level":"log","message":"ü","t":0}\n\n');
    const at = bytes.indexOf(0xc3) + 1;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at));
        controller.enqueue(new TextEncoder().encode(`event: result\ndata: ${JSON.stringify(result)}\n\n`));
        controller.close();
      },
    });
    vi.stubGlobal('fetch', async () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }));
    const logs: LogEntry[] = [];
    await streamRun('/api/run', {}, { onLog: (entry) => logs.push(entry) });
    expect(logs[0]!.message).toBe('ü');
  });

  it('takes a plain JSON answer as the result (a proxy that does not stream)', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(200, result));
    const onLog = vi.fn();
    await expect(streamRun('/api/acorns/x/run', {}, { onLog })).resolves.toEqual(result);
    expect(onLog).not.toHaveBeenCalled();
  });

  it('throws a problem answer as an ApiError', async () => {
    vi.stubGlobal('fetch', async () =>
      jsonResponse(429, { type: 'urn:squirrelbin:problem:rate-limited', title: 'Too many runs', status: 429 }),
    );
    await expect(streamRun('/api/run', {})).rejects.toMatchObject({ status: 429, type: 'rate-limited' });
  });

  it('fails when the stream ends without a result', async () => {
    vi.stubGlobal('fetch', async () => eventStream(['event: log\ndata: {"level":"log","message":"a","t":0}\n\n']));
    await expect(streamRun('/api/run', {})).rejects.toBeInstanceOf(ApiError);
  });
});
