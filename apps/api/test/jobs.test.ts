/** Jobs over real HTTP: the real server, the real sandbox, the real embedded store (DESIGN.md, "Jobs"). */
import type { Job, JobList, JobResult, JobResultList } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let owner: string;
let other: string;
let adminKey: string;

beforeAll(async () => {
  server = await startTestServer({ JOB_POLL_MS: '100' });
  client = clientFor(server.url);
  [owner, other] = await Promise.all([client.newKey(), client.newKey()]);
  adminKey = (await server.deps.store.identities.create({ admin: true })).key;
});
afterAll(() => server?.destroy());

async function start(key: string, acornId: string, body: unknown) {
  return client.api<Job>('POST', `/api/acorns/${acornId}/jobs`, { key, json: body });
}

async function startOk(key: string, acornId: string, body: unknown): Promise<Job> {
  const reply = await start(key, acornId, body);
  if (reply.status !== 202) throw new Error(`start: ${reply.status} ${reply.text}`);
  return reply.body;
}

async function finished(key: string, jobId: string, timeoutMs = 15_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const reply = await client.api<Job>('GET', `/api/jobs/${jobId}`, { key });
    expect(reply.status).toBe(200);
    if (reply.body.finishedAt !== null) return reply.body;
    if (Date.now() > until) {
      const lanes = await server.deps.store.jobs.lanes(jobId);
      throw new Error(`job ${jobId} did not finish: ${reply.text} ${JSON.stringify(lanes)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every result page by page, `limit` at a time. */
async function allResults(key: string, jobId: string, limit: number): Promise<{ items: JobResult[]; pages: number }> {
  const items: JobResult[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await client.api<JobResultList>('GET', `/api/jobs/${jobId}/results${query}`, { key });
    expect(reply.status).toBe(200);
    items.push(...reply.body.items);
    cursor = reply.body.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

interface SseEvent {
  event: string;
  data: Job;
  at: number;
}

async function events(key: string, jobId: string): Promise<{ status: number; type: string | null; list: SseEvent[] }> {
  const response = await fetch(`${server.url}/api/jobs/${jobId}/events`, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
  });
  const list: SseEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name && data) list.push({ event: name, data: JSON.parse(data) as Job, at: Date.now() });
    }
  }
  return { status: response.status, type: response.headers.get('content-type'), list };
}

describe('a load job', () => {
  it('runs every iteration once with the same input, and summarises them', async () => {
    const acorn = await client.newAcorn(owner, { code: 'input.n * 2' });
    const reply = await start(owner, acorn.id, { kind: 'load', iterations: 120, concurrency: 8, input: { n: 21 } });
    expect(reply.status).toBe(202);
    expect(reply.headers.get('location')).toBe(`/api/jobs/${reply.body.id}`);
    expect(reply.body).toMatchObject({
      acornId: acorn.id,
      acornVersion: 1,
      kind: 'load',
      total: 120,
      concurrency: 8,
      startedAt: null,
      finishedAt: null,
    });
    expect(['queued', 'running']).toContain(reply.body.status);
    const job = await finished(owner, reply.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      total: 120,
      done: 120,
      counts: { ok: 120, error: 0, timeout: 0, memory: 0, killed: 0 },
      errors: [],
    });
    expect(job.wallMs.p50).toBeGreaterThan(0);
    expect(job.wallMs.p50!).toBeLessThanOrEqual(job.wallMs.p95!);
    expect(job.wallMs.p95!).toBeLessThanOrEqual(job.wallMs.p99!);
    expect(job.wallMs.max).toBeGreaterThan(0);
    expect(job.cpuMs.p50).toBeGreaterThan(0);
    expect(job.runsPerSecond).toBeGreaterThan(0);
    expect(job.wallMsHistogram.reduce((n, bucket) => n + bucket.count, 0)).toBe(120);
    expect(Date.parse(job.startedAt!)).toBeLessThanOrEqual(Date.parse(job.finishedAt!));

    // Results page by page: each iteration exactly once, in order.
    const { items, pages } = await allResults(owner, job.id, 25);
    expect(pages).toBe(5);
    expect(items.map((r) => r.iteration)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(items.every((r) => r.status === 'ok' && r.value === 42 && r.preview === '42')).toBe(true);
    // A last page that is exactly full has no cursor to an empty one.
    const exact = await allResults(owner, job.id, 40);
    expect(exact.pages).toBe(3);
    expect(exact.items).toEqual(items);
  });

  it('runs the acorn version that was current when it started', async () => {
    const acorn = await client.newAcorn(owner, { code: '"first"' });
    const job = await startOk(owner, acorn.id, { kind: 'load', iterations: 30, concurrency: 2 });
    const current = await client.api('GET', `/api/acorns/${acorn.id}`, { key: owner });
    const patched = await client.api('PATCH', `/api/acorns/${acorn.id}`, {
      key: owner,
      json: { code: '"second"' },
      headers: { 'if-match': current.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    const done = await finished(owner, job.id);
    expect(done.acornVersion).toBe(1);
    const { items } = await allResults(owner, job.id, 100);
    expect(new Set(items.map((r) => r.value))).toEqual(new Set(['first']));
  });
});

describe('a batch job', () => {
  it('runs one iteration per input, keeps their order, and reports the first errors', async () => {
    const acorn = await client.newAcorn(owner, {
      code: "if (input.fail) throw new TypeError('bad ' + input.n);\nif (input.spin) while (true) {}\ninput.n * 10",
    });
    const inputs = Array.from({ length: 40 }, (_, n) => ({ n, fail: n % 7 === 3, spin: n === 20 }));
    const job = await finished(owner, (await startOk(owner, acorn.id, { kind: 'batch', inputs, concurrency: 4 })).id);
    const failing = inputs.filter((i) => i.fail).map((i) => i.n); // 3, 10, 17, 24, 31, 38
    expect(job).toMatchObject({
      kind: 'batch',
      status: 'succeeded',
      total: 40,
      done: 40,
      concurrency: 4,
      counts: { ok: 40 - failing.length - 1, error: failing.length, timeout: 1, memory: 0, killed: 0 },
    });
    // The first five by iteration: 3, 10, 17, the deadline at 20, then 24.
    expect(job.errors.map((e) => e.iteration)).toEqual([3, 10, 17, 20, 24]);
    expect(job.errors[0]).toEqual({ iteration: 3, name: 'TypeError', message: 'bad 3' });
    expect(job.errors[3]?.name).toBe('TimeoutError');
    const { items } = await allResults(owner, job.id, 1000);
    expect(items.map((r) => r.iteration)).toEqual(inputs.map((i) => i.n));
    for (const [i, result] of items.entries()) {
      if (inputs[i]!.fail)
        expect(result).toMatchObject({ status: 'error', error: { name: 'TypeError', message: `bad ${i}` } });
      else if (inputs[i]!.spin) expect(result.status).toBe('timeout');
      else expect(result).toMatchObject({ status: 'ok', value: i * 10 });
    }
  });

  it('defaults its concurrency', async () => {
    const acorn = await client.newAcorn(owner, { code: 'input' });
    const job = await startOk(owner, acorn.id, { kind: 'batch', inputs: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(job.concurrency).toBe(4);
    const { items } = await allResults(owner, (await finished(owner, job.id)).id, 10);
    expect(items.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('starting a job', () => {
  it('refuses what is not a job, with the field at fault', async () => {
    const acorn = await client.newAcorn(owner);
    const bad: [unknown, string][] = [
      [{}, 'kind'],
      [{ kind: 'soak', iterations: 1, concurrency: 1 }, 'kind'],
      [{ kind: 'load', concurrency: 1 }, 'iterations'],
      [{ kind: 'load', iterations: 0, concurrency: 1 }, 'iterations'],
      [{ kind: 'load', iterations: 10_001, concurrency: 1 }, 'iterations'],
      [{ kind: 'load', iterations: 1.5, concurrency: 1 }, 'iterations'],
      [{ kind: 'load', iterations: '10', concurrency: 1 }, 'iterations'],
      [{ kind: 'load', iterations: 10 }, 'concurrency'],
      [{ kind: 'load', iterations: 10, concurrency: 0 }, 'concurrency'],
      [{ kind: 'load', iterations: 10, concurrency: 51 }, 'concurrency'],
      [{ kind: 'load', iterations: 10, concurrency: 1, extra: true }, 'extra'],
      [{ kind: 'load', iterations: 10, concurrency: 1, inputs: [1] }, 'inputs'],
      [{ kind: 'batch' }, 'inputs'],
      [{ kind: 'batch', inputs: [] }, 'inputs'],
      [{ kind: 'batch', inputs: Array(1001).fill(1) }, 'inputs'],
      [{ kind: 'batch', inputs: 'abc' }, 'inputs'],
      [{ kind: 'batch', inputs: [1], concurrency: 51 }, 'concurrency'],
      [{ kind: 'batch', inputs: [1], iterations: 5 }, 'iterations'],
      [[1, 2], ''],
    ];
    for (const [body, path] of bad) {
      const reply = await start(owner, acorn.id, body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ type: 'urn:squirrelbin:problem:validation-failed' });
      const paths = (reply.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path);
      expect(paths.join(' '), JSON.stringify(body).slice(0, 80)).toContain(path);
    }
  });

  it('refuses bodies that are not JSON, too large, or inputs over 16 KiB', async () => {
    const acorn = await client.newAcorn(owner);
    const path = `/api/acorns/${acorn.id}/jobs`;
    const headers = { 'content-type': 'application/json' };
    expect((await client.api('POST', path, { key: owner })).status).toBe(400);
    expect((await client.api('POST', path, { key: owner, body: '{"kind":', headers })).status).toBe(400);
    expect((await client.api('POST', path, { key: owner, body: 'kind=load', headers: {} })).status).toBe(415);
    const big = 'x'.repeat(16 * 1024);
    const load = await start(owner, acorn.id, { kind: 'load', iterations: 1, concurrency: 1, input: big });
    expect(load.status).toBe(413);
    expect(load.body).toMatchObject({ type: 'urn:squirrelbin:problem:input-too-large' });
    const batch = await start(owner, acorn.id, { kind: 'batch', inputs: [1, big] });
    expect(batch.status).toBe(413);
    expect(batch.text).toContain('inputs[1]');
    const huge = await start(owner, acorn.id, { kind: 'batch', inputs: Array(80).fill('y'.repeat(15_000)) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ type: 'urn:squirrelbin:problem:body-too-large' });
  });

  it('needs a key and an acorn the caller can read', async () => {
    const acorn = await client.newAcorn(owner);
    const secret = await client.newAcorn(owner, { visibility: 'private' });
    const body = { kind: 'load', iterations: 1, concurrency: 1 };
    const anonymous = await client.api('POST', `/api/acorns/${acorn.id}/jobs`, { json: body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await start(other, secret.id, body)).status).toBe(404);
    expect((await start(other, 'AAAAAAAAAAAAAAAAAAAAAA', body)).status).toBe(404);
    // Someone else's public acorn: allowed, the job is the caller's.
    const theirs = await startOk(other, acorn.id, body);
    expect((await finished(other, theirs.id)).status).toBe('succeeded');
    expect((await client.api('GET', `/api/jobs/${theirs.id}`, { key: owner })).status).toBe(403);
  });

  it('allows two active jobs per identity, then 429 with Retry-After until one ends', async () => {
    const key = await client.newKey();
    const slow = await client.newAcorn(key, { code: 'const t = Date.now(); while (Date.now() - t < 20) {}\n1' });
    const body = { kind: 'load', iterations: 2000, concurrency: 1 };
    const first = await startOk(key, slow.id, body);
    const second = await startOk(key, slow.id, body);
    const third = await start(key, slow.id, body);
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ type: 'urn:squirrelbin:problem:too-many-jobs' });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another identity is not affected.
    const elsewhere = await startOk(other, slow.id, { kind: 'load', iterations: 1, concurrency: 1 });
    expect(elsewhere.status).not.toBe('failed');
    expect((await client.api('DELETE', `/api/jobs/${first.id}`, { key })).status).toBe(202);
    await finished(key, first.id);
    const fourth = await startOk(key, slow.id, { kind: 'load', iterations: 1, concurrency: 1 });
    await client.api('DELETE', `/api/jobs/${second.id}`, { key });
    expect((await finished(key, fourth.id)).status).toBe('succeeded');
    expect((await finished(key, second.id)).status).toBe('cancelled');
  });
});

describe('jobs started at the same moment', () => {
  it('all run (a worker looking at the queue meanwhile never drops one)', async () => {
    const key = await client.newKey();
    const acorn = await client.newAcorn(key, { code: 'input' });
    for (let round = 0; round < 8; round++) {
      const jobs = await Promise.all(
        [1, 2].map((n) => startOk(key, acorn.id, { kind: 'batch', inputs: [round, n], concurrency: 2 })),
      );
      for (const job of jobs) expect((await finished(key, job.id)).status).toBe('succeeded');
    }
  });
});

describe('reading a job', () => {
  it('is for its creator and admins: 401, 403, 404', async () => {
    const acorn = await client.newAcorn(owner);
    const job = await startOk(owner, acorn.id, { kind: 'load', iterations: 3, concurrency: 1 });
    await finished(owner, job.id);
    for (const path of [`/api/jobs/${job.id}`, `/api/jobs/${job.id}/results`, `/api/jobs/${job.id}/events`]) {
      expect((await client.api('GET', path)).status, path).toBe(401);
      expect((await client.api('GET', path, { key: other })).status, path).toBe(403);
      expect((await client.api('GET', path, { key: adminKey })).status, path).toBe(200);
      expect((await client.api('GET', path, { key: owner })).status, path).toBe(200);
      const missing = await client.api('GET', path.replace(job.id, 'nosuchjobnosuchjob00'), { key: owner });
      expect(missing.status, path).toBe(404);
      expect(missing.body).toMatchObject({ type: 'urn:squirrelbin:problem:job-not-found' });
    }
    expect((await client.api('DELETE', `/api/jobs/${job.id}`)).status).toBe(401);
    expect((await client.api('DELETE', `/api/jobs/${job.id}`, { key: other })).status).toBe(403);
    expect((await client.api('DELETE', '/api/jobs/nosuchjobnosuchjob00', { key: owner })).status).toBe(404);
    // Finished already: nothing to cancel.
    expect((await client.api('DELETE', `/api/jobs/${job.id}`, { key: adminKey })).status).toBe(204);
  });

  it('refuses a bad results cursor or limit', async () => {
    const acorn = await client.newAcorn(owner);
    const job = await finished(
      owner,
      (await startOk(owner, acorn.id, { kind: 'load', iterations: 5, concurrency: 1 })).id,
    );
    for (const query of ['?cursor=nonsense', '?limit=0', '?limit=1001', '?limit=x']) {
      const reply = await client.api('GET', `/api/jobs/${job.id}/results${query}`, { key: owner });
      expect(reply.status, query).toBe(400);
    }
    const other = await finished(
      owner,
      (await startOk(owner, acorn.id, { kind: 'load', iterations: 5, concurrency: 1 })).id,
    );
    const page = await client.api<JobResultList>('GET', `/api/jobs/${job.id}/results?limit=2`, { key: owner });
    const foreign = await client.api('GET', `/api/jobs/${other.id}/results?cursor=${page.body.nextCursor}`, {
      key: owner,
    });
    expect(foreign.status).toBe(400);
  });

  it("lists the caller's jobs on an acorn, newest first, in pages", async () => {
    const acorn = await client.newAcorn(owner);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = await startOk(owner, acorn.id, { kind: 'load', iterations: 2, concurrency: 1 });
      ids.unshift(job.id);
      await finished(owner, job.id);
    }
    const theirs = await startOk(other, acorn.id, { kind: 'load', iterations: 1, concurrency: 1 });
    const first = await client.api<JobList>('GET', `/api/acorns/${acorn.id}/jobs?limit=2`, { key: owner });
    expect(first.status).toBe(200);
    expect(first.body.items.map((j) => j.id)).toEqual(ids.slice(0, 2));
    expect(first.body.items[0]).toMatchObject({ status: 'succeeded', done: 2, total: 2 });
    const rest = await client.api<JobList>(
      'GET',
      `/api/acorns/${acorn.id}/jobs?limit=2&cursor=${first.body.nextCursor}`,
      { key: owner },
    );
    expect(rest.body.items.map((j) => j.id)).toEqual(ids.slice(2));
    expect(rest.body.nextCursor).toBeNull();
    const mine = await client.api<JobList>('GET', `/api/acorns/${acorn.id}/jobs`, { key: other });
    expect(mine.body.items.map((j) => j.id)).toEqual([theirs.id]);
    expect((await client.api('GET', `/api/acorns/${acorn.id}/jobs`)).status).toBe(401);
    expect((await client.api('GET', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA/jobs', { key: owner })).status).toBe(404);
    expect((await client.api('GET', `/api/acorns/${acorn.id}/jobs?cursor=bad`, { key: owner })).status).toBe(400);
  });
});

describe('cancelling a job', () => {
  it('starts no new iteration; the ones in flight finish and are recorded once', async () => {
    const acorn = await client.newAcorn(owner, { code: 'const t = Date.now(); while (Date.now() - t < 5) {}\ninput' });
    const job = await startOk(owner, acorn.id, { kind: 'load', iterations: 5000, concurrency: 4, input: 7 });
    // Let it get going.
    for (let done = 0, until = Date.now() + 15_000; done < 20; ) {
      if (Date.now() > until)
        throw new Error(`no progress: ${JSON.stringify(await server.deps.store.jobs.lanes(job.id))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = (await client.api<Job>('GET', `/api/jobs/${job.id}`, { key: owner })).body.done;
    }
    const cancel = await client.api<Job>('DELETE', `/api/jobs/${job.id}`, { key: owner });
    expect(cancel.status).toBe(202);
    expect(cancel.body.status).toBe('cancelled');
    expect((await client.api('DELETE', `/api/jobs/${job.id}`, { key: owner })).status).toBe(204);
    const ended = await finished(owner, job.id);
    expect(ended.status).toBe('cancelled');
    expect(ended.done).toBeLessThan(5000);
    expect(ended.done).toBeGreaterThanOrEqual(20);
    const { items } = await allResults(owner, job.id, 1000);
    expect(items.length).toBe(ended.done);
    expect(new Set(items.map((r) => r.iteration)).size).toBe(items.length);
    expect(ended.counts.ok).toBe(ended.done);
    // Nothing more is recorded afterwards.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await allResults(owner, job.id, 1000)).items.length).toBe(ended.done);
  });
});

describe('the events stream', () => {
  it('sends progress at most 4 times a second, then done with the final job', async () => {
    const acorn = await client.newAcorn(owner, { code: 'const t = Date.now(); while (Date.now() - t < 3) {}\n1' });
    const job = await startOk(owner, acorn.id, { kind: 'load', iterations: 400, concurrency: 4 });
    const started = Date.now();
    const { status, type, list } = await events(owner, job.id);
    const seconds = (Date.now() - started) / 1000;
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    const progress = list.filter((e) => e.event === 'progress');
    expect(list.at(-1)?.event).toBe('done');
    expect(list.filter((e) => e.event === 'done')).toHaveLength(1);
    expect(list.at(-1)?.data).toMatchObject({ id: job.id, status: 'succeeded', done: 400, total: 400 });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
    const dones = progress.map((e) => e.data.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThan(150);

    // A finished job answers `done` at once.
    const again = await events(owner, job.id);
    expect(again.list.map((e) => e.event)).toEqual(['done']);
    expect(again.list[0]?.data.done).toBe(400);
  });
});
