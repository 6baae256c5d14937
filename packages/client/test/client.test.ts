/** The typed client against the real server: every route, problems as ApiError, ETag/If-Match, event streams. */
import type { Acorn, Job, LogEntry } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, type SquirrelBinClient } from '../src/index.ts';
import { startTestServer, type TestServer } from './server.ts';

let server: TestServer;
let anonymous: SquirrelBinClient;
let owner: SquirrelBinClient;
let other: SquirrelBinClient;

beforeAll(async () => {
  server = await startTestServer({ METRICS_FLUSH_MS: '200', ENDPOINT_RATE_LIMIT: '0' });
  anonymous = createClient({ baseUrl: server.url });
  owner = createClient({ baseUrl: server.url, key: (await anonymous.createIdentity()).key });
  other = createClient({ baseUrl: server.url, key: (await anonymous.createIdentity()).key });
});
afterAll(() => server?.stop());

const acornBody = { title: 'Sum', language: 'javascript', code: 'input.a + input.b', visibility: 'public' } as const;

/** The ApiError a call rejects with. */
async function problemOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('service routes', () => {
  it('health, the OpenAPI document and the modules list', async () => {
    expect(await anonymous.health()).toEqual({ status: 'ok' });
    const document = await anonymous.openApi();
    expect(document.openapi).toMatch(/^3\.1/);
    expect(Object.keys(document.paths as object)).toContain('/api/acorns/{id}');
    const modules = await anonymous.listModules();
    expect(modules.items.map((item) => item.name)).toContain('zod');
  });

  it('an unreachable server is an ApiError of type network, status 0', async () => {
    const closed = createClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await problemOf(closed.health());
    expect(error).toMatchObject({ status: 0, type: 'network' });
    expect(error.cause).toBeDefined();
  });
});

describe('identities', () => {
  it('creates one (key shown once) and tells who a key is', async () => {
    const created = await anonymous.createIdentity();
    expect(created.key).toMatch(/^sqb_/);
    const client = createClient({ baseUrl: server.url, key: created.key });
    expect(await client.me()).toMatchObject({ id: created.id, admin: false });
  });

  it('asks a key getter on every request, and a request may name its own key', async () => {
    let key: string | undefined;
    const client = createClient({ baseUrl: server.url, key: () => key });
    expect((await problemOf(client.me())).status).toBe(401);
    const created = await anonymous.createIdentity();
    key = created.key;
    expect((await client.me()).id).toBe(created.id);
    expect((await anonymous.me({ key: created.key })).id).toBe(created.id);
  });

  it('an unknown key is a 401 problem with type, detail and request id', async () => {
    const error = await problemOf(createClient({ baseUrl: server.url, key: `sqb_${'x'.repeat(30)}` }).me());
    expect(error.status).toBe(401);
    expect(error.type).toBe('unauthenticated');
    expect(error.detail).toBeTruthy();
    expect(error.message).toBe(error.detail);
    expect(error.requestId).toBeTruthy();
  });
});

describe('acorns', () => {
  it('creates, reads, updates with If-Match, and deletes', async () => {
    const created = await owner.createAcorn(acornBody);
    expect(created).toMatchObject({ ...acornBody, version: 1, endpoint: false, forkOf: null });
    expect(await anonymous.getAcorn(created.id)).toEqual(created);

    const updated = await owner.updateAcorn(created.id, { title: 'Sum 2' }, { ifMatch: 1 });
    expect(updated).toMatchObject({ title: 'Sum 2', version: 2 });
    const anyVersion = await owner.updateAcorn(created.id, { description: 'adds' }, { ifMatch: '*' });
    expect(anyVersion.version).toBe(3);

    await owner.deleteAcorn(created.id);
    const gone = await problemOf(anonymous.getAcorn(created.id));
    expect(gone).toMatchObject({ status: 404, type: 'acorn-not-found' });
  });

  it('a stale If-Match is 412 version-mismatch naming the current version, and changes nothing', async () => {
    const acorn = await owner.createAcorn(acornBody);
    await owner.updateAcorn(acorn.id, { code: '1' }, { ifMatch: 1 });
    const stale = await problemOf(owner.updateAcorn(acorn.id, { code: '2' }, { ifMatch: 1 }));
    expect(stale).toMatchObject({ status: 412, type: 'version-mismatch', currentVersion: 2 });
    expect(stale.detail).toContain('version 1');
    expect((await owner.getAcorn(acorn.id)).code).toBe('1');
  });

  it('no If-Match is 428; not the owner is 403; no key is 401', async () => {
    const acorn = await owner.createAcorn(acornBody);
    const missing = await problemOf(owner.send(`/api/acorns/${acorn.id}`, { method: 'PATCH', body: { title: 'x' } }));
    expect(missing).toMatchObject({ status: 428, type: 'precondition-required' });
    expect((await problemOf(other.updateAcorn(acorn.id, { title: 'x' }, { ifMatch: 1 }))).status).toBe(403);
    expect((await problemOf(anonymous.createAcorn(acornBody))).type).toBe('unauthenticated');
    expect((await problemOf(other.deleteAcorn(acorn.id))).status).toBe(403);
  });

  it('validation problems list each bad field', async () => {
    const error = await problemOf(owner.createAcorn({ ...acornBody, title: ' ', language: 'cobol' as 'javascript' }));
    expect(error).toMatchObject({ status: 400, type: 'validation-failed' });
    expect(error.errors.map((issue) => issue.path).sort()).toEqual(['language', 'title']);
  });

  it('getAcornIfChanged answers undefined while the version is current (304), the acorn once it changed', async () => {
    const acorn = await owner.createAcorn(acornBody);
    expect(await owner.getAcornIfChanged(acorn.id, 1)).toBeUndefined();
    await owner.updateAcorn(acorn.id, { title: 'New' }, { ifMatch: 1 });
    expect(await owner.getAcornIfChanged(acorn.id, 1)).toMatchObject({ title: 'New', version: 2 });
  });

  it('lists public acorns newest first with cursors, searches, and lists your own with mine', async () => {
    const client = createClient({ baseUrl: server.url, key: (await anonymous.createIdentity()).key });
    const mine: Acorn[] = [];
    for (const visibility of ['public', 'unlisted', 'private', 'public'] as const) {
      mine.push(await client.createAcorn({ ...acornBody, title: `Lister ${visibility}`, visibility }));
    }
    const own = await client.listAcorns({ mine: true, limit: 3 });
    expect(own.items.map((item) => item.id)).toEqual(
      mine
        .slice(1)
        .reverse()
        .map((item) => item.id),
    );
    expect(own.nextCursor).toBeTruthy();
    const rest = await client.listAcorns({ mine: true, limit: 3, cursor: own.nextCursor });
    expect(rest.items.map((item) => item.id)).toEqual([mine[0]!.id]);

    const found = await anonymous.listAcorns({ q: 'Lister', limit: 100 });
    expect(found.items.map((item) => item.id).sort()).toEqual([mine[0]!.id, mine[3]!.id].sort());

    expect(await problemOf(anonymous.listAcorns({ mine: true }))).toMatchObject({ status: 401 });
    expect(await problemOf(anonymous.listAcorns({ cursor: 'not-a-cursor' }))).toMatchObject({
      status: 400,
      type: 'bad-cursor',
    });
  });

  it('revisions: earlier versions, newest first, and one of them', async () => {
    const acorn = await owner.createAcorn({ ...acornBody, code: 'v1' });
    await owner.updateAcorn(acorn.id, { code: 'v2' }, { ifMatch: 1 });
    await owner.updateAcorn(acorn.id, { code: 'v3' }, { ifMatch: 2 });
    const revisions = await anonymous.listRevisions(acorn.id);
    expect(revisions.items.map((item) => item.version)).toEqual([2, 1]);
    const page = await anonymous.listRevisions(acorn.id, { limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeTruthy();
    expect(await anonymous.getRevision(acorn.id, 1)).toMatchObject({ version: 1, code: 'v1' });
    expect(await problemOf(anonymous.getRevision(acorn.id, 9))).toMatchObject({
      status: 404,
      type: 'revision-not-found',
    });
  });

  it('forks into your own acorn, with or without a body', async () => {
    const source = await owner.createAcorn(acornBody);
    const fork = await other.forkAcorn(source.id);
    expect(fork).toMatchObject({ forkOf: source.id, title: source.title, code: source.code, version: 1 });
    const named = await other.forkAcorn(source.id, { title: 'Mine now', visibility: 'private' });
    expect(named).toMatchObject({ title: 'Mine now', visibility: 'private' });
    expect(await problemOf(anonymous.forkAcorn(source.id))).toMatchObject({ status: 401 });
  });
});

describe('runs', () => {
  it('runs unsaved code: ok, error with its line, TypeScript', async () => {
    const ok = await anonymous.runCode({ language: 'javascript', code: 'console.log("hi"); input * 2', input: 21 });
    expect(ok).toMatchObject({ status: 'ok', value: 42, logs: [{ level: 'log', message: 'hi' }] });
    const failed = await anonymous.runCode({ language: 'javascript', code: '\nnull.x' });
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ name: 'TypeError', line: 2 });
    const typed = await anonymous.runCode({ language: 'typescript', code: 'const n: number = 2;\nn + 1' });
    expect(typed).toMatchObject({ status: 'ok', value: 3 });
  });

  it('runs a saved acorn with an input and limits', async () => {
    const acorn = await owner.createAcorn(acornBody);
    expect(await anonymous.runAcorn(acorn.id, { input: { a: 1, b: 2 } })).toMatchObject({ status: 'ok', value: 3 });
    const slow = await owner.createAcorn({ ...acornBody, code: 'while (true) {}' });
    expect(await owner.runAcorn(slow.id, { limits: { timeoutMs: 50 } })).toMatchObject({ status: 'timeout' });
    expect(await problemOf(anonymous.runAcorn('nothing-here-at-all-0'))).toMatchObject({ status: 404 });
  });

  it('streams: each log line arrives before the run ends, then the result', async () => {
    const code = 'console.log("first"); await new Promise((r) => setTimeout(r, 300)); console.log("second"); 7';
    const seen: { entry: LogEntry; at: number }[] = [];
    const started = performance.now();
    const result = await anonymous.runCode(
      { language: 'javascript', code },
      { onLog: (entry) => seen.push({ entry, at: performance.now() - started }) },
    );
    const ended = performance.now() - started;
    expect(result).toMatchObject({ status: 'ok', value: 7 });
    expect(seen.map(({ entry }) => entry.message)).toEqual(['first', 'second']);
    expect(seen[0]!.at).toBeLessThan(ended - 200);

    const acorn = await owner.createAcorn({ ...acornBody, code: 'console.info(input); input' });
    const logs: string[] = [];
    const saved = await owner.runAcorn(acorn.id, { input: 'x' }, { onLog: (entry) => logs.push(entry.message) });
    expect(saved.value).toBe('x');
    expect(logs).toEqual(['x']);
  });

  it('a refused streamed run stays a problem', async () => {
    const error = await problemOf(anonymous.runCode({ language: 'cobol' as 'javascript', code: '' }, { stream: true }));
    expect(error).toMatchObject({ status: 400, type: 'validation-failed' });
  });

  it('calls the code as an endpoint handler with `request`', async () => {
    const result = await anonymous.runCode({
      language: 'javascript',
      code: 'export default (req) => new Response(req.method)',
      request: { method: 'PUT', url: 'https://example.test/x/a' },
    });
    expect(result.response?.status).toBe(200);
    expect(atob(result.response!.bodyBase64)).toBe('PUT');
  });
});

describe('endpoints', () => {
  const echo = `export default async (req) => {
    const url = new URL(req.url);
    if (url.pathname.endsWith('/teapot')) return new Response('short and stout', { status: 418 });
    if (url.pathname.endsWith('/throw')) throw new Error('boom');
    const body = req.method === 'GET' ? '' : await req.text();
    return Response.json({ method: req.method, path: url.pathname, query: url.search, custom: req.headers.get('x-custom'),
      auth: req.headers.get('authorization'), body });
  }`;

  it("returns the acorn's answer: method, path, headers and body seen; never the key", async () => {
    const acorn = await owner.createAcorn({ ...acornBody, code: echo, endpoint: true });
    const response = await owner.callEndpoint(acorn.id, {
      path: 'users/7?q=1',
      method: 'POST',
      headers: { 'x-custom': 'nut' },
      body: 'hello',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-run-status')).toBe('ok');
    expect(await response.json()).toEqual({
      method: 'POST',
      path: `/x/${acorn.id}/users/7`,
      query: '?q=1',
      custom: 'nut',
      auth: null,
      body: 'hello',
    });
  });

  it("the acorn's own non-2xx answers are returned; SquirrelBin's refusals are thrown", async () => {
    const acorn = await owner.createAcorn({ ...acornBody, code: echo, endpoint: true });
    const teapot = await anonymous.callEndpoint(acorn.id, { path: '/teapot' });
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe('short and stout');
    const failed = await anonymous.callEndpoint(acorn.id, { path: '/throw' });
    expect(failed.status).toBe(502);
    expect(failed.headers.get('x-run-status')).toBe('error');

    const plain = await owner.createAcorn(acornBody);
    expect(await problemOf(anonymous.callEndpoint(plain.id))).toMatchObject({
      status: 404,
      type: 'endpoint-not-found',
    });
  });

  it('invocations and traffic for the owner; 403 for others; admin metrics for admins only', async () => {
    const acorn = await owner.createAcorn({ ...acornBody, code: echo, endpoint: true });
    await (await anonymous.callEndpoint(acorn.id, { path: '/a' })).text();
    const invocations = await owner.listInvocations(acorn.id);
    expect(invocations.items.map((item) => item.path)).toEqual(['/a']);
    expect(await problemOf(other.listInvocations(acorn.id))).toMatchObject({ status: 403, type: 'forbidden' });

    let metrics = await owner.acornMetrics(acorn.id, { from: new Date(Date.now() - 60_000), step: '1m' });
    for (let tries = 0; tries < 50 && (metrics.endpoints[0]?.totals.count ?? 0) < 1; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await owner.acornMetrics(acorn.id);
    }
    expect(metrics.endpoints.map((series) => series.endpoint)).toEqual([`acorn:${acorn.id}`]);
    expect(metrics.endpoints[0]!.totals.count).toBe(1);

    expect(await problemOf(owner.adminMetrics())).toMatchObject({ status: 403 });
    const admin = createClient({ baseUrl: server.url, key: await server.adminKey() });
    const all = await admin.adminMetrics({ step: '5m' });
    expect(all.step).toBe('5m');
    expect(all.endpoints.length).toBeGreaterThan(0);
  });
});

describe('jobs', () => {
  it('starts a load job (202), follows its events to done, lists it, and reads its results page by page', async () => {
    const acorn = await owner.createAcorn({ ...acornBody, code: 'input.a + input.b' });
    const started = await owner.createJob(acorn.id, {
      kind: 'load',
      iterations: 6,
      concurrency: 2,
      input: { a: 2, b: 3 },
    });
    expect(started).toMatchObject({ acornId: acorn.id, acornVersion: 1, kind: 'load', total: 6, concurrency: 2 });
    expect(['queued', 'running', 'succeeded']).toContain(started.status);

    const seen: Job[] = [];
    const done = await owner.watchJob(started.id, { onProgress: (job) => seen.push(job) });
    expect(done).toMatchObject({ id: started.id, status: 'succeeded', done: 6, counts: { ok: 6, error: 0 } });
    expect(done.finishedAt).not.toBeNull();
    expect(seen.at(-1)).toEqual(done);
    expect(await owner.getJob(started.id)).toEqual(done);

    const listed = await owner.listJobs(acorn.id);
    expect(listed.items.map((job) => job.id)).toEqual([started.id]);

    const first = await owner.listJobResults(started.id, { limit: 4 });
    expect(first.items.map((item) => item.iteration)).toEqual([0, 1, 2, 3]);
    const rest = await owner.listJobResults(started.id, { limit: 4, cursor: first.nextCursor });
    expect(rest.items.map((item) => item.iteration)).toEqual([4, 5]);
    expect([...first.items, ...rest.items].every((item) => item.status === 'ok' && item.value === 5)).toBe(true);
  });

  it('a batch runs one input each; failures are counted and listed', async () => {
    const acorn = await owner.createAcorn({
      ...acornBody,
      code: 'if (input < 0) throw new RangeError("negative"); input',
    });
    const started = await owner.createJob(acorn.id, { kind: 'batch', inputs: [1, -1, 2] });
    const done = await owner.watchJob(started.id);
    expect(done).toMatchObject({ kind: 'batch', status: 'succeeded', total: 3, counts: { ok: 2, error: 1 } });
    expect(done.errors).toEqual([{ iteration: 1, name: 'RangeError', message: 'negative' }]);
    const results = await owner.listJobResults(done.id);
    expect(results.items.map((item) => item.status)).toEqual(['ok', 'error', 'ok']);
  });

  it('cancels a running job (202 with the job), and a finished one answers undefined (204)', async () => {
    const slow = await owner.createAcorn({ ...acornBody, code: 'await new Promise((r) => setTimeout(r, 100)); 1' });
    const started = await owner.createJob(slow.id, { kind: 'load', iterations: 200, concurrency: 1 });
    const cancelling = await owner.cancelJob(started.id);
    expect(cancelling?.id).toBe(started.id);
    const ended = await owner.watchJob(started.id);
    expect(ended.status).toBe('cancelled');
    expect(ended.done).toBeLessThan(200);
    expect(await owner.cancelJob(started.id)).toBeUndefined();
  });

  it('problems: no key 401, someone else’s job 403, unknown job 404, bad body 400, too many active jobs 429', async () => {
    const acorn = await owner.createAcorn(acornBody);
    expect(
      await problemOf(anonymous.createJob(acorn.id, { kind: 'load', iterations: 1, concurrency: 1 })),
    ).toMatchObject({
      status: 401,
    });
    const invalid = await problemOf(owner.createJob(acorn.id, { kind: 'load', iterations: 0, concurrency: 1 }));
    expect(invalid).toMatchObject({ status: 400, type: 'validation-failed' });
    expect(invalid.errors.map((issue) => issue.path)).toEqual(['iterations']);
    expect(await problemOf(owner.getJob('no-such-job'))).toMatchObject({ status: 404, type: 'job-not-found' });

    const busy = createClient({ baseUrl: server.url, key: (await anonymous.createIdentity()).key });
    const slow = await busy.createAcorn({ ...acornBody, code: 'await new Promise((r) => setTimeout(r, 200)); 1' });
    const held = [
      await busy.createJob(slow.id, { kind: 'load', iterations: 500, concurrency: 1 }),
      await busy.createJob(slow.id, { kind: 'load', iterations: 500, concurrency: 1 }),
    ];
    try {
      expect(await problemOf(other.getJob(held[0]!.id))).toMatchObject({ status: 403, type: 'forbidden' });
      const refused = await problemOf(busy.createJob(slow.id, { kind: 'load', iterations: 1, concurrency: 1 }));
      expect(refused).toMatchObject({ status: 429, type: 'too-many-jobs' });
      expect(refused.retryAfter).toBeGreaterThan(0);
    } finally {
      for (const job of held) await busy.cancelJob(job.id);
    }
  });
});
