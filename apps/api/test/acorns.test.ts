import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let api: ReturnType<typeof clientFor>['api'];
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: String(256 * 1024) });
  client = clientFor(server.url);
  api = client.api;
  alice = await client.newKey();
  bob = await client.newKey();
});
afterAll(() => server.destroy());

function expectProblem(reply: { status: number; headers: Headers; body: unknown }, status: number, type: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, type: `urn:squirrelbin:problem:${type}` });
  expect((reply.body as { requestId: string }).requestId).toBe(reply.headers.get('x-request-id'));
}

describe('health and openapi', () => {
  it('reports ok with a request id', async () => {
    const reply = await api('GET', '/api/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
    expect(reply.headers.get('x-request-id')).toMatch(/.{8,}/);
  });

  it('echoes a sane caller request id', async () => {
    const reply = await api('GET', '/api/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(reply.headers.get('x-request-id')).toBe('trace-123');
  });

  it('serves an OpenAPI 3.1 document listing every route', async () => {
    const reply = await api<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: object }> };
    }>('GET', '/api/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    expect(Object.keys(reply.body.paths['/api/acorns/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(reply.body.paths['/api/acorns/{id}/revisions/{version}']).toHaveProperty('get');
    const create = reply.body.paths['/api/acorns']!.post as {
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(create.requestBody.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/CreateAcornBody',
    });
    expect(Object.keys(reply.body.components.schemas.CreateAcornBody!.properties)).toEqual(
      expect.arrayContaining(['title', 'language', 'code', 'visibility']),
    );
  });

  it('answers unknown endpoints with a 404 problem', async () => {
    expectProblem(await api('GET', '/api/nope'), 404, 'route-not-found');
  });

  it('answers a CORS preflight for the SPA', async () => {
    const reply = await api('OPTIONS', '/api/acorns', {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-methods')).toContain('PATCH');
  });
});

describe('identities', () => {
  it('creates an identity with a key shown once', async () => {
    const reply = await api<{ id: string; key: string }>('POST', '/api/identities');
    expect(reply.status).toBe(201);
    expect(reply.body.key).toMatch(/^sqb_[A-Za-z0-9_-]{40,}$/);
    expect(reply.body.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('accepts an empty JSON object but not unknown fields', async () => {
    expect((await api('POST', '/api/identities', { json: {} })).status).toBe(201);
    expectProblem(await api('POST', '/api/identities', { json: { admin: true } }), 400, 'validation-failed');
  });

  it('refuses an unknown or malformed key', async () => {
    expectProblem(await api('GET', '/api/acorns?mine=true', { key: `sqb_${'x'.repeat(43)}` }), 401, 'unauthenticated');
    expectProblem(
      await api('GET', '/api/acorns', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'unauthenticated',
    );
  });

  it('tells a key who it is with GET /api/identities/me, and 401s without a valid key', async () => {
    const created = await api<{ id: string; key: string; createdAt: string }>('POST', '/api/identities');
    const me = await api('GET', '/api/identities/me', { key: created.body.key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: created.body.id, createdAt: created.body.createdAt, admin: false });
    expect(me.headers.get('cache-control')).toContain('no-store');
    expectProblem(await api('GET', '/api/identities/me'), 401, 'unauthenticated');
    expectProblem(await api('GET', '/api/identities/me', { key: `sqb_${'y'.repeat(43)}` }), 401, 'unauthenticated');
    const admin = await server.deps.store.identities.create({ admin: true });
    expect((await api('GET', '/api/identities/me', { key: admin.key })).body).toMatchObject({ admin: true });
  });

  it('rate limits identity creation per address', async () => {
    const limited = await startTestServer({ IDENTITY_RATE_LIMIT: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await clientFor(limited.url).api('POST', '/api/identities')).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const reply = await clientFor(limited.url).api('POST', '/api/identities');
      expectProblem(reply, 429, 'rate-limited');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.destroy();
    }
  });
});

describe('create', () => {
  const valid = { title: '  Hello  ', language: 'typescript', code: 'const x: number = 1; x', visibility: 'public' };

  it('creates with 201, Location and ETag, trimming the title', async () => {
    const reply = await api<Record<string, unknown>>('POST', '/api/acorns', { key: alice, json: valid });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe(`/api/acorns/${reply.body.id}`);
    expect(reply.headers.get('etag')).toBe('"1"');
    expect(reply.body).toMatchObject({
      title: 'Hello',
      description: '',
      version: 1,
      forkOf: null,
      language: 'typescript',
    });
    expect(reply.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(String(reply.body.id)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('needs a key', async () => {
    expectProblem(await api('POST', '/api/acorns', { json: valid }), 401, 'unauthenticated');
  });

  it('rejects bad JSON with 400', async () => {
    expectProblem(
      await api('POST', '/api/acorns', {
        key: alice,
        body: '{"title":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'malformed-json',
    );
  });

  it('rejects a non-JSON content type with 415', async () => {
    expectProblem(
      await api('POST', '/api/acorns', {
        key: alice,
        body: JSON.stringify(valid),
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported-media-type',
    );
  });

  it('rejects an empty body with 400', async () => {
    expectProblem(await api('POST', '/api/acorns', { key: alice }), 400, 'validation-failed');
  });

  it('lists each bad field', async () => {
    const reply = await api<{ errors: { path: string }[] }>('POST', '/api/acorns', {
      key: alice,
      json: { title: 'x'.repeat(121), language: 'python', code: 1, visibility: 'secret', extra: true },
    });
    expectProblem(reply, 400, 'validation-failed');
    expect(reply.body.errors.map((e) => e.path).sort()).toEqual(['code', 'extra', 'language', 'title', 'visibility']);
  });

  it('rejects a blank title and a too-long description', async () => {
    for (const fields of [{ title: '   ' }, { description: 'd'.repeat(2_001) }, { visibility: undefined }]) {
      expectProblem(
        await api('POST', '/api/acorns', { key: alice, json: { ...valid, ...fields } }),
        400,
        'validation-failed',
      );
    }
  });

  it('accepts a title of exactly 120 characters after trimming', async () => {
    const reply = await api('POST', '/api/acorns', { key: alice, json: { ...valid, title: ` ${'t'.repeat(120)} ` } });
    expect(reply.status).toBe(201);
  });

  it('rejects code over 64 KiB with 413', async () => {
    const reply = await api('POST', '/api/acorns', { key: alice, json: { ...valid, code: 'x'.repeat(64 * 1024 + 1) } });
    expectProblem(reply, 413, 'code-too-large');
    const multiByte = await api('POST', '/api/acorns', { key: alice, json: { ...valid, code: 'é'.repeat(33_000) } });
    expectProblem(multiByte, 413, 'code-too-large');
  });

  it('rejects a body over the limit with 413 before parsing', async () => {
    const reply = await api('POST', '/api/acorns', {
      key: alice,
      body: `{"title": "${'a'.repeat(300 * 1024)}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(reply, 413, 'body-too-large');
  });
});

describe('read', () => {
  it('reads with an ETag and answers 304 to If-None-Match', async () => {
    const { id } = await client.newAcorn(alice);
    const first = await api('GET', `/api/acorns/${id}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toMatchObject({ id, code: '1 + 2' });
    const again = await api('GET', `/api/acorns/${id}`, { headers: { 'if-none-match': '"1"' } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('404s a missing acorn', async () => {
    expectProblem(await api('GET', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'acorn-not-found');
  });

  it('hides a private acorn from everyone but its owner', async () => {
    const { id } = await client.newAcorn(alice, { visibility: 'private' });
    expect((await api('GET', `/api/acorns/${id}`, { key: alice })).status).toBe(200);
    expectProblem(await api('GET', `/api/acorns/${id}`, { key: bob }), 404, 'acorn-not-found');
    expectProblem(await api('GET', `/api/acorns/${id}`), 404, 'acorn-not-found');
    expectProblem(await api('GET', `/api/acorns/${id}/revisions`, { key: bob }), 404, 'acorn-not-found');
  });

  it('lets anyone with the link read an unlisted acorn', async () => {
    const { id } = await client.newAcorn(alice, { visibility: 'unlisted' });
    expect((await api('GET', `/api/acorns/${id}`)).status).toBe(200);
  });
});

describe('update', () => {
  it('updates with If-Match and returns the new ETag', async () => {
    const { id } = await client.newAcorn(alice);
    const reply = await api('PATCH', `/api/acorns/${id}`, {
      key: alice,
      json: { title: 'Renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('etag')).toBe('"2"');
    expect(reply.body).toMatchObject({ title: 'Renamed', version: 2, code: '1 + 2' });
    const read = await api('GET', `/api/acorns/${id}`);
    expect(read.body).toMatchObject({ title: 'Renamed', version: 2 });
  });

  it('428 without If-Match, 412 with a stale one', async () => {
    const { id } = await client.newAcorn(alice);
    expectProblem(
      await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { title: 'A' } }),
      428,
      'precondition-required',
    );
    await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { title: 'B' }, headers: { 'if-match': '"1"' } });
    const stale = await api('PATCH', `/api/acorns/${id}`, {
      key: alice,
      json: { title: 'C' },
      headers: { 'if-match': '"1"' },
    });
    expectProblem(stale, 412, 'version-mismatch');
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    const garbage = await api('PATCH', `/api/acorns/${id}`, {
      key: alice,
      json: { title: 'C' },
      headers: { 'if-match': 'nonsense' },
    });
    expectProblem(garbage, 412, 'version-mismatch');
    expect((await api('GET', `/api/acorns/${id}`)).body).toMatchObject({ title: 'B', version: 2 });
  });

  it('refuses other identities: 403 on a visible acorn, 404 on a private one, 401 without a key', async () => {
    const visible = await client.newAcorn(alice);
    const hidden = await client.newAcorn(alice, { visibility: 'private' });
    const patch = { json: { title: 'Mine now' }, headers: { 'if-match': '"1"' } };
    expectProblem(await api('PATCH', `/api/acorns/${visible.id}`, { key: bob, ...patch }), 403, 'forbidden');
    expectProblem(await api('PATCH', `/api/acorns/${hidden.id}`, { key: bob, ...patch }), 404, 'acorn-not-found');
    expectProblem(await api('PATCH', `/api/acorns/${visible.id}`, patch), 401, 'unauthenticated');
  });

  it('validates the patch', async () => {
    const { id } = await client.newAcorn(alice);
    const headers = { 'if-match': '"1"' };
    expectProblem(await api('PATCH', `/api/acorns/${id}`, { key: alice, json: {}, headers }), 400, 'validation-failed');
    expectProblem(
      await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { ownerId: 'x' }, headers }),
      400,
      'validation-failed',
    );
    expectProblem(
      await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { title: '' }, headers }),
      400,
      'validation-failed',
    );
    expectProblem(
      await api('PATCH', `/api/acorns/nope-nope-nope-nope`, { key: alice, json: { title: 'x' }, headers }),
      404,
      'acorn-not-found',
    );
  });

  it('moves an acorn out of the public list when made private', async () => {
    const { id } = await client.newAcorn(alice, { title: 'soon private zebra' });
    const listed = async () =>
      (await api<{ items: { id: string }[] }>('GET', '/api/acorns?q=zebra')).body.items.map((i) => i.id);
    expect(await listed()).toContain(id);
    await api('PATCH', `/api/acorns/${id}`, {
      key: alice,
      json: { visibility: 'private' },
      headers: { 'if-match': '"1"' },
    });
    expect(await listed()).not.toContain(id);
  });
});

describe('revisions', () => {
  it('keeps every earlier version, newest first', async () => {
    const { id } = await client.newAcorn(alice, { code: 'v1' });
    for (const version of [1, 2, 3]) {
      const reply = await api('PATCH', `/api/acorns/${id}`, {
        key: alice,
        json: { code: `v${version + 1}` },
        headers: { 'if-match': `"${version}"` },
      });
      expect(reply.status).toBe(200);
    }
    const list = await api<{ items: { version: number; code?: string }[]; nextCursor: string | null }>(
      'GET',
      `/api/acorns/${id}/revisions`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((r) => r.version)).toEqual([3, 2, 1]);
    expect(list.body.items[0]).not.toHaveProperty('code');
    const second = await api('GET', `/api/acorns/${id}/revisions/2`);
    expect(second.body).toMatchObject({ acornId: id, version: 2, code: 'v2' });
    const paged = await api<{ items: { version: number }[]; nextCursor: string }>(
      'GET',
      `/api/acorns/${id}/revisions?limit=2`,
    );
    expect(paged.body.items.map((r) => r.version)).toEqual([3, 2]);
    const rest = await api<{ items: { version: number }[]; nextCursor: null }>(
      'GET',
      `/api/acorns/${id}/revisions?limit=2&cursor=${paged.body.nextCursor}`,
    );
    expect(rest.body.items.map((r) => r.version)).toEqual([1]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('404s the current version, missing versions and junk', async () => {
    const { id } = await client.newAcorn(alice);
    for (const version of ['1', '2', '0', 'abc', '-1']) {
      expectProblem(await api('GET', `/api/acorns/${id}/revisions/${version}`), 404, 'revision-not-found');
    }
    expectProblem(await api('GET', `/api/acorns/${id}/revisions?cursor=zzz`), 400, 'bad-cursor');
  });
});

describe('fork', () => {
  it("copies into the caller's own acorn, keeping visibility unless named", async () => {
    const source = await client.newAcorn(alice, { visibility: 'unlisted', code: 'input' });
    const fork = await api<Record<string, unknown>>('POST', `/api/acorns/${source.id}/fork`, { key: bob });
    expect(fork.status).toBe(201);
    expect(fork.headers.get('location')).toBe(`/api/acorns/${fork.body.id}`);
    expect(fork.body).toMatchObject({ forkOf: source.id, visibility: 'unlisted', code: 'input', version: 1 });
    expect(fork.body.ownerId).not.toBe(source.ownerId);
    const named = await api('POST', `/api/acorns/${source.id}/fork`, { key: bob, json: { visibility: 'private' } });
    expect(named.body).toMatchObject({ visibility: 'private' });
  });

  it('401 without a key, 404 for a hidden source', async () => {
    const hidden = await client.newAcorn(alice, { visibility: 'private' });
    expectProblem(await api('POST', `/api/acorns/${hidden.id}/fork`), 401, 'unauthenticated');
    expectProblem(await api('POST', `/api/acorns/${hidden.id}/fork`, { key: bob }), 404, 'acorn-not-found');
  });
});

describe('delete', () => {
  it('deletes for the owner, then 404s', async () => {
    const { id } = await client.newAcorn(alice);
    await api('PATCH', `/api/acorns/${id}`, { key: alice, json: { code: '2' }, headers: { 'if-match': '"1"' } });
    const reply = await api('DELETE', `/api/acorns/${id}`, { key: alice });
    expect(reply.status).toBe(204);
    expectProblem(await api('GET', `/api/acorns/${id}`), 404, 'acorn-not-found');
    expectProblem(await api('GET', `/api/acorns/${id}/revisions/1`), 404, 'acorn-not-found');
    expectProblem(await api('DELETE', `/api/acorns/${id}`, { key: alice }), 404, 'acorn-not-found');
  });

  it('refuses others and anonymous callers', async () => {
    const { id } = await client.newAcorn(alice);
    const hidden = await client.newAcorn(alice, { visibility: 'private' });
    expectProblem(await api('DELETE', `/api/acorns/${id}`), 401, 'unauthenticated');
    expectProblem(await api('DELETE', `/api/acorns/${id}`, { key: bob }), 403, 'forbidden');
    expectProblem(await api('DELETE', `/api/acorns/${hidden.id}`, { key: bob }), 404, 'acorn-not-found');
    expect((await api('GET', `/api/acorns/${id}`)).status).toBe(200);
  });
});

describe('list', () => {
  it('lists your own acorns of every visibility with mine=true', async () => {
    const carol = await client.newKey();
    const made = [
      await client.newAcorn(carol, { visibility: 'public' }),
      await client.newAcorn(carol, { visibility: 'unlisted' }),
      await client.newAcorn(carol, { visibility: 'private' }),
    ];
    const mine = await api<{ items: { id: string }[] }>('GET', '/api/acorns?mine=true', { key: carol });
    expect(mine.body.items.map((i) => i.id)).toEqual(made.map((m) => m.id).reverse());
    expectProblem(await api('GET', '/api/acorns?mine=true'), 401, 'unauthenticated');
  });

  it('finds acorns by text in title or description, case-insensitively', async () => {
    await client.newAcorn(alice, { title: 'Fibonacci numbers' });
    await client.newAcorn(alice, { title: 'Other', description: 'uses FIBONACCI too' });
    const found = await api<{ items: { title: string }[] }>('GET', '/api/acorns?q=fibonacci');
    expect(found.body.items.map((i) => i.title).sort()).toEqual(['Fibonacci numbers', 'Other']);
  });

  it('rejects bad limits and cursors with 400', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=1.5',
      'cursor=%%%',
      'cursor=eyJ4IjoxfQ',
      'mine=yes',
    ]) {
      const reply = await api('GET', `/api/acorns?${query}`);
      expect(reply.status, query).toBe(400);
    }
    const foreign = Buffer.from(JSON.stringify({ pk: 'a', sk: 'b', gsiOwner: 'x', gsiCreated: 'y' })).toString(
      'base64url',
    );
    expectProblem(await api('GET', `/api/acorns?cursor=${foreign}`), 400, 'bad-cursor');
  });
});

describe('client address behind a trusted proxy', () => {
  it('keys per-address limits on CLIENT_IP_HEADER when set, and on the peer when it is missing', async () => {
    const proxied = await startTestServer({ IDENTITY_RATE_LIMIT: '2', CLIENT_IP_HEADER: 'X-SquirrelBin-Client-Ip' });
    try {
      const { api } = clientFor(proxied.url);
      const from = (ip: string) => ({ headers: { 'x-squirrelbin-client-ip': ip } });
      const statuses = async (options: { headers?: Record<string, string> }) => [
        (await api('POST', '/api/identities', options)).status,
        (await api('POST', '/api/identities', options)).status,
        (await api('POST', '/api/identities', options)).status,
      ];
      expect(await statuses(from('198.51.100.1'))).toEqual([201, 201, 429]);
      expect(await statuses(from('198.51.100.2'))).toEqual([201, 201, 429]);
      expect(await statuses({})).toEqual([201, 201, 429]);
    } finally {
      await proxied.destroy();
    }
  });
});
