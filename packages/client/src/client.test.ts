/** The client's own rules with a stand-in fetch (the routes themselves are tested against the server in test/). */
import type { Job, RunResult } from '@squirrelbin/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiError, isApiError } from './api-error.ts';
import { createClient } from './client.ts';
import { queryString, versionFromEtag } from './transport.ts';

type Fetch = typeof globalThis.fetch;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });

const eventStream = (text: string) =>
  new Response(text, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });

const job = (status: Job['status'], done: number, finishedAt: string | null = null): Job => ({
  id: 'job1',
  acornId: 'acorn1',
  acornVersion: 1,
  kind: 'load',
  status,
  total: 4,
  done,
  concurrency: 2,
  counts: { ok: done, error: 0, timeout: 0, memory: 0, killed: 0 },
  wallMs: { p50: 1, p95: 2, p99: 2, max: 2 },
  cpuMs: { p50: 1, p95: 1, p99: 1 },
  runsPerSecond: 10,
  errors: [],
  wallMsHistogram: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requests', () => {
  it('uses the global fetch of the moment, unbound, with the base URL, JSON body and Bearer key', async () => {
    const client = createClient({ baseUrl: 'http://api.test/', key: 'sqb_k' });
    const fetch = vi.fn(function (this: unknown, _url: string, _init?: RequestInit) {
      expect(this).toBeUndefined();
      return Promise.resolve(json(201, { id: 'a' }));
    });
    vi.stubGlobal('fetch', fetch);
    await client.createAcorn({ title: 't', language: 'javascript', code: '1', visibility: 'public' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://api.test/api/acorns');
    const headers = new Headers(init!.headers);
    expect(init!.method).toBe('POST');
    expect(headers.get('authorization')).toBe('Bearer sqb_k');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('accept')).toBe('application/json, application/problem+json');
    expect(JSON.parse(init!.body as string)).toMatchObject({ title: 't' });
  });

  it("'' is the page's own origin; no body means no content type; key null sends none", async () => {
    const fetch = vi.fn<Fetch>(async () => json(201, { id: 'i', key: 'sqb_x' }));
    const client = createClient({ key: 'sqb_k', fetch });
    await client.createIdentity();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/identities');
    expect(new Headers(init!.headers).has('authorization')).toBe(false);
    expect(new Headers(init!.headers).has('content-type')).toBe(false);
    expect(init!.body).toBeUndefined();
  });

  it('If-Match carries the version as an ETag; 412 names the current version', async () => {
    const fetch = vi.fn<Fetch>(async () =>
      json(412, {
        type: 'urn:squirrelbin:problem:version-mismatch',
        title: 'The acorn changed since you read it',
        status: 412,
        detail: 'You edited version 1; the acorn is at 2',
        requestId: 'r1',
        currentVersion: 2,
      }),
    );
    const client = createClient({ fetch });
    const error = await client.updateAcorn('a b', { title: 'x' }, { ifMatch: 1 }).catch((thrown: unknown) => thrown);
    expect(fetch.mock.calls[0]![0]).toBe('/api/acorns/a%20b');
    expect(new Headers(fetch.mock.calls[0]![1]!.headers).get('if-match')).toBe('"1"');
    expect(isApiError(error, 412)).toBe(true);
    expect(error).toMatchObject({
      status: 412,
      type: 'version-mismatch',
      detail: 'You edited version 1; the acorn is at 2',
      title: 'The acorn changed since you read it',
      currentVersion: 2,
      requestId: 'r1',
    });
  });

  it('an answer that is not problem+json still becomes an ApiError, with Retry-After', async () => {
    const client = createClient({
      fetch: async () =>
        new Response('<html>busy</html>', { status: 503, headers: { 'Retry-After': '3', 'X-Request-Id': 'rid' } }),
    });
    const error = (await client.health().catch((thrown: unknown) => thrown)) as ApiError;
    expect(error).toMatchObject({ status: 503, type: 'http-503', retryAfter: 3, requestId: 'rid' });
    expect(error.detail).toBe('The server answered 503');
  });

  it('an abort is passed on as it is, not as a network error', async () => {
    const client = createClient({
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    });
    const controller = new AbortController();
    const pending = client.getAcorn('a', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('helpers: versionFromEtag and queryString', () => {
    expect(versionFromEtag('"3"')).toBe(3);
    expect(versionFromEtag('W/"12"')).toBe(12);
    expect(versionFromEtag(null)).toBeUndefined();
    expect(queryString({ limit: 5, cursor: null, q: '', mine: 'true' })).toBe('?limit=5&mine=true');
    expect(queryString({})).toBe('');
  });
});

describe('streamed runs', () => {
  const result: RunResult = {
    status: 'ok',
    value: 1,
    preview: '1',
    logs: [{ level: 'log', message: 'a', t: 0 }],
    wallMs: 1,
    cpuMs: 1,
    truncated: { logs: false, value: false },
  };

  it('asks for events, hands over logs, returns the result', async () => {
    const fetch = vi.fn<Fetch>(async () =>
      eventStream(
        `event: log\ndata: {"level":"log","message":"a","t":0}\n\nevent: result\ndata: ${JSON.stringify(result)}\n\n`,
      ),
    );
    const logs: string[] = [];
    const client = createClient({ fetch });
    expect(
      await client.runCode({ language: 'javascript', code: '' }, { onLog: (entry) => logs.push(entry.message) }),
    ).toEqual(result);
    expect(logs).toEqual(['a']);
    expect(new Headers(fetch.mock.calls[0]![1]!.headers).get('accept')).toBe('text/event-stream');
  });

  it('takes a plain JSON answer as the result, and a stream without its result as stream-ended', async () => {
    expect(await createClient({ fetch: async () => json(200, result) }).runAcorn('a', {}, { stream: true })).toEqual(
      result,
    );
    const cut = createClient({ fetch: async () => eventStream('event: log\ndata: {"message":"a"}\n\n') });
    await expect(cut.runAcorn('a', undefined, { stream: true })).rejects.toMatchObject({
      status: 0,
      type: 'stream-ended',
    });
  });
});

describe('jobs', () => {
  it('watchJob follows progress events to done', async () => {
    const fetch = vi.fn<Fetch>(async () =>
      eventStream(
        `event: progress\ndata: ${JSON.stringify(job('running', 2))}\n\n: keep-alive\n\nevent: done\ndata: ${JSON.stringify(job('succeeded', 4))}\n\n`,
      ),
    );
    const seen: number[] = [];
    const done = await createClient({ fetch }).watchJob('job1', { onProgress: (progress) => seen.push(progress.done) });
    expect(done.status).toBe('succeeded');
    expect(seen).toEqual([2, 4]);
    expect(fetch.mock.calls[0]![0]).toBe('/api/jobs/job1/events');
  });

  it('watchJob ends on any event of a job that is over, done or not; a cancelled one once its runs are in', async () => {
    const fetch = vi.fn<Fetch>(async () =>
      eventStream(`event: progress\ndata: ${JSON.stringify(job('failed', 1))}\n\n: keep-alive\n\n`),
    );
    expect((await createClient({ fetch }).watchJob('job1')).status).toBe('failed');
    expect(fetch).toHaveBeenCalledTimes(1);

    const stopping = job('cancelled', 2);
    const stopped = job('cancelled', 3, '2025-01-01T00:00:01.000Z');
    const events = vi.fn<Fetch>(async () =>
      eventStream(
        `event: progress\ndata: ${JSON.stringify(stopping)}\n\nevent: progress\ndata: ${JSON.stringify(stopped)}\n\n`,
      ),
    );
    expect(await createClient({ fetch: events }).watchJob('job1')).toEqual(stopped);
  });

  it('watchJob picks a stream that ended early up again, and ends when the job has finished meanwhile', async () => {
    const answers = [
      eventStream(`event: progress\ndata: ${JSON.stringify(job('running', 1))}\n\n`),
      json(200, job('running', 2)),
      eventStream(`event: progress\ndata: ${JSON.stringify(job('running', 3))}\n\n`),
      json(200, job('cancelled', 3, '2025-01-01T00:00:01.000Z')),
    ];
    const fetch = vi.fn<Fetch>(async () => answers.shift()!);
    const done = await createClient({ fetch }).watchJob('job1', { retryMs: 1 });
    expect(done.status).toBe('cancelled');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/jobs/job1/events',
      '/api/jobs/job1',
      '/api/jobs/job1/events',
      '/api/jobs/job1',
    ]);
  });

  it('cancelJob answers the job as it is now (202), or undefined when it had already ended (204)', async () => {
    const answers = [json(202, job('cancelled', 2)), new Response(null, { status: 204 })];
    const fetch = vi.fn<Fetch>(async (_url, init) => {
      expect(init?.method).toBe('DELETE');
      return answers.shift()!;
    });
    const client = createClient({ fetch });
    expect(await client.cancelJob('job1')).toMatchObject({ status: 'cancelled', done: 2 });
    expect(await client.cancelJob('job1')).toBeUndefined();
  });
});
