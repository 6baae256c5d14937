/** Streamed runs and cancellation over real HTTP, with the real sandbox (DESIGN.md, "Streaming"). */
import type { MetricsResponse, RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  client = clientFor(server.url);
  key = await client.newKey();
});
afterAll(() => server?.destroy());

interface Received {
  event: string;
  data: unknown;
  /** ms since the request was sent. */
  at: number;
}

/** POSTs a run asking for events, and reads them as they arrive. */
async function stream(
  path: string,
  body: unknown,
  options: { signal?: AbortSignal; until?: (e: Received) => boolean } = {},
) {
  const started = performance.now();
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  const events: Received[] = [];
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return { response, events };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!name || data === undefined) continue;
      const received = { event: name, data: JSON.parse(data), at: performance.now() - started };
      events.push(received);
      if (options.until?.(received)) {
        await reader.cancel();
        return { response, events };
      }
    }
  }
  return { response, events };
}

const run = (code: string, limits?: object) => ({ language: 'javascript', code, ...(limits ? { limits } : {}) });

describe('POST /api/run with Accept: text/event-stream', () => {
  it('sends a log event per line as it happens, then one result with every line', async () => {
    const { response, events } = await stream(
      '/api/run',
      run(
        `console.log('before');\nawait new Promise((r) => setTimeout(r, 400));\nconsole.info('after', { n: 1 });\n42`,
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    expect(events.map((e) => e.event)).toEqual(['log', 'log', 'result']);
    expect(events[0]!.data).toMatchObject({ level: 'log', message: 'before' });
    expect(events[1]!.data).toMatchObject({ level: 'info', message: 'after { n: 1 }' });
    const result = events[2]!.data as RunResult;
    expect(result).toMatchObject({ status: 'ok', value: 42 });
    expect(result.logs.map((l) => l.message)).toEqual(['before', 'after { n: 1 }']);
    // The first line was there before the wait ended.
    expect(events[1]!.at - events[0]!.at).toBeGreaterThan(300);
  });

  it("delivers a synchronous loop's lines before its deadline ends it", async () => {
    const { events } = await stream('/api/run', run(`console.log('stuck?');\nfor (;;) {}`, { timeoutMs: 3000 }));
    expect(events.map((e) => e.event)).toEqual(['log', 'result']);
    expect(events[0]!.data).toMatchObject({ message: 'stuck?' });
    expect(events[1]!.data).toMatchObject({ status: 'timeout' });
    expect(events[1]!.at - events[0]!.at).toBeGreaterThan(2000);
  });

  it('answers a saved acorn the same way', async () => {
    const acorn = await client.newAcorn(key, { code: `console.log('saved', input);\ninput * 2` });
    const { events } = await stream(`/api/acorns/${acorn.id}/run`, { input: 21 });
    expect(
      events.map((e) => [
        e.event,
        (e.data as { message?: string; value?: number }).message ?? (e.data as RunResult).value,
      ]),
    ).toEqual([
      ['log', 'saved 21'],
      ['result', 42],
    ]);
  });

  it('keeps problems before the run ordinary problem+json', async () => {
    for (const body of [{ language: 'cobol', code: '1' }, { language: 'javascript' }]) {
      const { response, events } = await stream('/api/run', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(events).toEqual([]);
    }
    const missing = await stream(`/api/acorns/${'Z'.repeat(22)}/run`, {});
    expect(missing.response.status).toBe(404);
  });
});

describe('a client that leaves ends its run', () => {
  const endless = run(`console.log('looping');\nfor (;;) {}`, { timeoutMs: 10_000 });

  it('streamed: 12 abandoned endless runs, then the same owner’s next run completes within a second', async () => {
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        await stream('/api/run', endless, { signal: controller.signal }).catch(() => {});
      }),
    );
    const started = performance.now();
    const { events } = await stream('/api/run', run('1 + 1'));
    expect(events.at(-1)).toMatchObject({ event: 'result', data: { status: 'ok', value: 2 } });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('plain JSON: 12 abandoned endless runs free their slots too', async () => {
    await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(`${server.url}/api/run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(endless),
          signal: AbortSignal.timeout(300),
        }).catch(() => undefined),
      ),
    );
    const started = performance.now();
    const reply = await client.api<RunResult>('POST', '/api/run', { key, json: run('1 + 1') });
    expect(reply.body).toMatchObject({ status: 'ok', value: 2 });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('counts cancelled runs as their own outcome', async () => {
    const admin = (await server.deps.store.identities.create({ admin: true })).key;
    const metrics = await client.api<MetricsResponse>('GET', '/api/admin/metrics', { key: admin });
    const runCode = metrics.body.endpoints.find((e) => e.endpoint === 'run.code');
    expect(runCode?.totals.outcomes?.cancelled).toBeGreaterThanOrEqual(12);
  });
});
