/**
 * Regression tests for what one caller could do to everyone (issue 9): per-route body bounds checked before parsing,
 * readable 413s, bound cursors, revision visibility, HTTP precondition details, and create/run limits per address.
 * Over real HTTP against a real server, sandbox and embedded store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let api: ReturnType<typeof clientFor>['api'];
let alice: string;

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKERS: '1', RUN_ANON_MAX_TIMEOUT_MS: '300' });
  client = clientFor(server.url);
  api = client.api;
  alice = await client.newKey();
});
afterAll(() => server.destroy());

function expectProblem(reply: { status: number; headers: Headers; body: unknown }, status: number, type: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, type: `urn:squirrelbin:problem:${type}` });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('run bodies are bounded per route before parsing', () => {
  it('refuses a 512 KiB run body as too large for the route, without parsing it', async () => {
    // Under the server-wide 1 MiB: only the route's own bound (code + input + a little) refuses it.
    const input = 'x'.repeat(512 * 1024);
    for (const path of ['/api/run', `/api/acorns/${(await client.newAcorn(alice)).id}/run`]) {
      const json = path === '/api/run' ? { language: 'javascript', code: '1', input } : { input };
      const reply = await api('POST', path, { json });
      expectProblem(reply, 413, 'body-too-large');
      expect((reply.body as { detail: string }).detail).toMatch(/over \d+ bytes/);
    }
  });

  it('measures the input before validating it: 413 input-too-large inside the body bound', async () => {
    const reply = await api('POST', '/api/run', {
      json: { language: 'javascript', code: '1', input: { list: Array.from({ length: 5000 }, (_, i) => i) } },
    });
    expectProblem(reply, 413, 'input-too-large');
  });

  it('answers deeply nested input with 400, never 500', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const reply = await api('POST', '/api/run', {
      body: `{"language":"javascript","code":"1","input":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect([400, 413]).toContain(reply.status);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
  });

  it('still runs code near the code limit with a full input', async () => {
    const code = `// ${'x'.repeat(60 * 1024)}\ninput.length`;
    const reply = await api<{ status: string; value: unknown }>('POST', '/api/run', {
      json: { language: 'javascript', code, input: 'y'.repeat(15 * 1024) },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', value: 15 * 1024 });
  });
});

describe('a 413 is readable by a client still sending', () => {
  // In another process: in-process, client and server share one event loop and the race never shows.
  let separate: ServerProcess;
  beforeAll(async () => {
    separate = await startServerProcess({ RUN_WORKERS: '1' });
  });
  afterAll(() => separate.stop());

  it('answers 413 to 5 MiB bodies every time, not EPIPE while the client still sends', async () => {
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        const reply = await fetch(`${separate.url}/api/run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.alloc(5 * 1024 * 1024, 0x20),
        });
        await reply.text();
        outcomes.push(reply.status);
      } catch (error) {
        outcomes.push(String((error as Error).cause ?? error));
      }
    }
    expect(outcomes).toEqual(Array(8).fill(413));
  });
});

describe('cursors are bound to their query', () => {
  it('refuses a revisions cursor pointing at the current item or outside the revisions', async () => {
    const { id } = await client.newAcorn(alice);
    await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { code: '2' }, headers: { 'if-match': '"1"' } });
    const tampered = [
      { pk: `ACORN#${id}`, sk: 'CURRENT' },
      { pk: `ACORN#${id}`, sk: 'REV#0000000009' },
      { pk: `ACORN#${id}`, sk: 'REV#0000000000' },
      { pk: 'ACORN#someoneelse12345', sk: 'REV#0000000001' },
      { pk: `ACORN#${id}`, sk: 'REV#1' },
    ];
    for (const key of tampered) {
      expectProblem(await api('GET', `/api/acorns/${id}/revisions?cursor=${b64(key)}`), 400, 'bad-cursor');
    }
  });

  it('refuses list cursors whose fields have the wrong shape', async () => {
    const id = 'A'.repeat(22);
    const good = {
      pk: `ACORN#${id}`,
      sk: 'CURRENT',
      gsiPublic: 'PUBLIC',
      gsiCreated: `2026-01-01T00:00:00.000Z#${id}`,
    };
    expect((await api('GET', `/api/acorns?cursor=${b64(good)}`)).status).toBe(200);
    for (const bad of [
      { ...good, sk: 'REV#0000000001' },
      { ...good, pk: 'IDENTITY#x' },
      { ...good, gsiCreated: 'yesterday' },
      { ...good, gsiPublic: 'PRIVATE' },
    ]) {
      expectProblem(await api('GET', `/api/acorns?cursor=${b64(bad)}`), 400, 'bad-cursor');
    }
  });

  it('treats an empty cursor as the first page, and ends a full last page without an empty one', async () => {
    const owner = await client.newKey();
    for (let i = 0; i < 4; i++) await client.newAcorn(owner, { visibility: 'private' });
    const first = await api<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      '/api/acorns?mine=true&limit=2&cursor=',
      {
        key: owner,
      },
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await api<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      `/api/acorns?mine=true&limit=2&cursor=${first.body.nextCursor}`,
      { key: owner },
    );
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('revisions keep the visibility they were saved with', () => {
  it('hides a revision saved while private after the acorn becomes public', async () => {
    const { id } = await client.newAcorn(alice, { visibility: 'private', code: 'secret' });
    const made = await api('PATCH', `/api/acorns/${id}`, {
      key: alice,
      json: { visibility: 'public', code: 'open' },
      headers: { 'if-match': '"1"' },
    });
    expect(made.status).toBe(200);
    expectProblem(await api('GET', `/api/acorns/${id}/revisions/1`), 404, 'revision-not-found');
    const listed = await api<{ items: unknown[] }>('GET', `/api/acorns/${id}/revisions`);
    expect(listed.body.items).toEqual([]);
    const own = await api('GET', `/api/acorns/${id}/revisions/1`, { key: alice });
    expect(own.body).toMatchObject({ code: 'secret', visibility: 'private' });
  });
});

describe('HTTP details', () => {
  it('answers If-None-Match: * with 304 when the acorn exists', async () => {
    const { id } = await client.newAcorn(alice);
    expect((await api('GET', `/api/acorns/${id}`, { headers: { 'if-none-match': '*' } })).status).toBe(304);
    expect((await api('GET', `/api/acorns/${id}`, { headers: { 'if-none-match': '"7"' } })).status).toBe(200);
  });

  it('matches an If-Match list that contains the current ETag', async () => {
    const { id } = await client.newAcorn(alice);
    const patch = (ifMatch: string) =>
      api('PATCH', `/api/acorns/${id}`, { key: alice, json: { code: 'x' }, headers: { 'if-match': ifMatch } });
    expect((await patch('"7", "1"')).status).toBe(200);
    expectProblem(await patch('"1", "5"'), 412, 'version-mismatch');
    expect((await patch('"1", W/"2"')).status).toBe(200);
  });

  it('refuses encoded bodies and charsets other than UTF-8 with 415', async () => {
    const json = JSON.stringify({ language: 'javascript', code: '1' });
    const gzip = await api('POST', '/api/run', {
      body: json,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expectProblem(gzip, 415, 'unsupported-media-type');
    const latin1 = await api('POST', '/api/run', {
      body: json,
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    });
    expectProblem(latin1, 415, 'unsupported-media-type');
    const utf8 = await api('POST', '/api/run', {
      body: json,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(utf8.status).toBe(200);
  });

  it('passes a __proto__ key in input to the acorn intact', async () => {
    const reply = await api<{ value: unknown }>('POST', '/api/run', {
      body: '{"language":"javascript","code":"[Object.keys(input), Object.getOwnPropertyDescriptor(input, \'__proto__\').value.x, Object.getPrototypeOf(input) === Object.prototype]","input":{"__proto__":{"x":1},"a":2}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.body.value).toEqual([['__proto__', 'a'], 1, true]);
  });
});

describe('anonymous callers get a lower maximum deadline', () => {
  it('cuts an anonymous run at RUN_ANON_MAX_TIMEOUT_MS and lets an identified one run to its own', async () => {
    const json = {
      language: 'javascript',
      code: 'await new Promise((r) => setTimeout(r, 600)); "done"',
      limits: { timeoutMs: 2000 },
    };
    const anonymous = await api<{ status: string; error: { message: string } }>('POST', '/api/run', { json });
    expect(anonymous.body.status).toBe('timeout');
    expect(anonymous.body.error.message).toContain('300 ms');
    const identified = await api('POST', '/api/run', { json, key: alice });
    expect(identified.body).toMatchObject({ status: 'ok', value: 'done' });
  });
});

describe('creates and runs are limited per identity and per address', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      RUN_WORKERS: '1',
      ACORN_RATE_LIMIT: '3',
      ACORN_ADDRESS_RATE_LIMIT: '5',
      RUN_RATE_LIMIT: '100',
      RUN_ADDRESS_RATE_LIMIT: '3',
      IDENTITY_RATE_LIMIT: '0',
    });
  });
  afterAll(() => limited.destroy());

  it('limits acorn creates and forks per identity, then per address across identities', async () => {
    const { api: call, newKey } = clientFor(limited.url);
    const first = await newKey();
    const body = { title: 't', language: 'javascript', code: '1', visibility: 'public' };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/api/acorns', { key: first, json: body })).status);
    const refused = await call('POST', '/api/acorns', { key: first, json: body });
    expect(statuses).toEqual([201, 201, 201]);
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    const second = await newKey();
    const created = await call<{ id: string }>('POST', '/api/acorns', { key: second, json: body });
    expect(created.status).toBe(201);
    expect((await call('POST', `/api/acorns/${created.body.id}/fork`, { key: second })).status).toBe(201);
    // Five acorns from this address within the minute: a third identity is refused too.
    expectProblem(await call('POST', '/api/acorns', { key: await newKey(), json: body }), 429, 'rate-limited');
  });

  it('counts anonymous runs and new identities against one budget per address', async () => {
    const { api: call, newKey } = clientFor(limited.url);
    const json = { language: 'javascript', code: '1' };
    expect((await call('POST', '/api/run', { json })).status).toBe(200);
    expect((await call('POST', '/api/run', { json, key: await newKey() })).status).toBe(200);
    expect((await call('POST', '/api/run', { json, key: await newKey() })).status).toBe(200);
    expectProblem(await call('POST', '/api/run', { json, key: await newKey() }), 429, 'rate-limited');
  });
});
