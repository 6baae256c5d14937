/** Acorn endpoints over real HTTP: the real server, the real sandbox, the real embedded store (DESIGN.md, "Endpoints"). */
import { request as httpRequest } from 'node:http';
import type { Invocation, InvocationList, MetricsResponse } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let owner: string;
let adminKey: string;

beforeAll(async () => {
  server = await startTestServer({ ENDPOINT_RATE_LIMIT: '0' });
  client = clientFor(server.url);
  owner = await client.newKey();
  adminKey = (await server.deps.store.identities.create({ admin: true })).key;
});
afterAll(() => server?.destroy());

/** A public endpoint acorn of `owner` with this code. */
async function endpoint(code: string, fields: Record<string, unknown> = {}) {
  const acorn = await client.newAcorn(owner, { code, endpoint: true, ...fields });
  return acorn.id;
}

const echo = `export default async (req) => {
  const url = new URL(req.url);
  const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
  return Response.json({
    method: req.method, url: req.url, path: url.pathname, query: url.search,
    q: url.searchParams.get('q'), custom: req.headers.get('x-custom'), type: req.headers.get('content-type'), body,
  });
};`;

function expectSafetyHeaders(headers: Headers) {
  expect(headers.get('content-security-policy')).toBe(
    'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads',
  );
  expect(headers.get('x-content-type-options')).toBe('nosniff');
}

describe('ANY /x/{id}', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    '%s: the acorn sees method, URL, path, query, headers and body',
    async (method) => {
      const id = await endpoint(echo);
      const hasBody = method !== 'GET';
      const response = await fetch(`${server.url}/x/${id}/users/7?q=nut&x=1`, {
        method,
        headers: { 'x-custom': 'acorn', ...(hasBody ? { 'content-type': 'text/plain' } : {}) },
        ...(hasBody ? { body: `hello ${method}` } : {}),
      });
      expect(response.status).toBe(200);
      const seen = (await response.json()) as Record<string, unknown>;
      expect(seen).toEqual({
        method,
        url: `${server.url}/x/${id}/users/7?q=nut&x=1`,
        path: `/x/${id}/users/7`,
        query: '?q=nut&x=1',
        q: 'nut',
        custom: 'acorn',
        type: hasBody ? 'text/plain' : null,
        body: hasBody ? `hello ${method}` : '',
      });
      expect(response.headers.get('x-run-status')).toBe('ok');
      expect(Number(response.headers.get('x-run-wall-ms'))).toBeGreaterThanOrEqual(0);
      expectSafetyHeaders(response.headers);
    },
  );

  it('HEAD answers with the headers and no body', async () => {
    const id = await endpoint(`export default () => new Response('hello', { headers: { 'x-kind': 'head' } })`);
    const response = await fetch(`${server.url}/x/${id}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-kind')).toBe('head');
    expect(await response.text()).toBe('');
  });

  it('serves the root path and the object-with-fetch form', async () => {
    const id = await endpoint(
      `export default { fetch(request) { return new Response('from fetch ' + new URL(request.url).pathname) } }`,
    );
    for (const path of [`/x/${id}`, `/x/${id}/`, `/x/${id}/a/b`]) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`from fetch ${path}`);
    }
  });

  it('a value is JSON with 200, undefined is 204, a custom status and headers pass through', async () => {
    const json = await endpoint(`export default () => ({ nuts: [1, 2] })`);
    const jsonReply = await fetch(`${server.url}/x/${json}`);
    expect(jsonReply.status).toBe(200);
    expect(jsonReply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await jsonReply.json()).toEqual({ nuts: [1, 2] });

    const empty = await endpoint(`export default () => undefined`);
    const emptyReply = await fetch(`${server.url}/x/${empty}`);
    expect(emptyReply.status).toBe(204);
    expect(await emptyReply.text()).toBe('');

    const custom = await endpoint(
      `export default () => new Response('<h1>made</h1>', { status: 201, statusText: 'Made', headers: { 'content-type': 'text/html; charset=utf-8', 'x-nut': 'hazel', 'cache-control': 'max-age=60' } })`,
    );
    const customReply = await fetch(`${server.url}/x/${custom}`);
    expect(customReply.status).toBe(201);
    expect(customReply.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(customReply.headers.get('x-nut')).toBe('hazel');
    expect(customReply.headers.get('cache-control')).toBe('max-age=60');
    expect(await customReply.text()).toBe('<h1>made</h1>');
    expectSafetyHeaders(customReply.headers);
  });

  it('binary bodies survive both ways', async () => {
    const id = await endpoint(`export default async (req) => {
      const bytes = new Uint8Array(await req.arrayBuffer());
      const out = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = 255 - bytes[i];
      return new Response(out, { headers: { 'content-type': 'application/octet-stream' } });
    }`);
    const sent = Uint8Array.from({ length: 256 }, (_, i) => i);
    const response = await fetch(`${server.url}/x/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: sent,
    });
    expect(response.status).toBe(200);
    const got = new Uint8Array(await response.arrayBuffer());
    expect([...got]).toEqual([...sent].map((b) => 255 - b));
  });

  it('drops Set-Cookie and hop-by-hop headers, and the acorn cannot weaken the CSP', async () => {
    const id = await endpoint(`export default () => {
      const headers = new Headers({ 'x-kept': 'yes', 'connection': 'x-secret', 'x-secret': '1', 'keep-alive': 'timeout=999', 'content-security-policy': "default-src *", 'x-content-type-options': 'sniff', 'clear-site-data': '"storage"', 'strict-transport-security': 'max-age=0' });
      headers.append('set-cookie', 'session=stolen; Path=/');
      headers.append('set-cookie', 'other=1');
      return new Response('ok', { headers });
    }`);
    const response = await fetch(`${server.url}/x/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-kept')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-secret')).toBeNull();
    expect(response.headers.get('clear-site-data')).toBeNull();
    expect(response.headers.get('strict-transport-security')).toBeNull();
    // Node's own keep-alive header may be there; the acorn's never is.
    expect(response.headers.get('keep-alive')).not.toContain('999');
    expectSafetyHeaders(response.headers);
  });

  it('a thrown error is 502 problem+json naming the run status and the line', async () => {
    const id = await endpoint(`export default () => {\n  throw new Error('nut cracked');\n}`);
    const response = await fetch(`${server.url}/x/${id}`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-run-status')).toBe('error');
    const problem = (await response.json()) as { detail: string; runStatus: string };
    expect(problem).toMatchObject({ status: 502, runStatus: 'error', type: 'urn:squirrelbin:problem:endpoint-failed' });
    expect(problem.detail).toContain('nut cracked');
    expect(problem.detail).toContain('line 2');
    expectSafetyHeaders(response.headers);
  });

  it('an endless loop is 504 within the deadline plus 500 ms', async () => {
    const id = await endpoint(`export default () => { for (;;) {} }`);
    const started = performance.now();
    const response = await fetch(`${server.url}/x/${id}`);
    const took = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.headers.get('x-run-status')).toBe('timeout');
    expect(((await response.json()) as { runStatus: string }).runStatus).toBe('timeout');
    expect(took).toBeLessThan(1_000 + 500);
  });

  it('a memory bomb is 502 with run status memory', async () => {
    const id = await endpoint(`export default () => { const a = []; for (;;) a.push(new ArrayBuffer(1e6)); }`);
    const response = await fetch(`${server.url}/x/${id}`);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-run-status')).toBe('memory');
    expect(((await response.json()) as { runStatus: string }).runStatus).toBe('memory');
  });

  it('a response over 1 MiB is 502', async () => {
    const id = await endpoint(`export default () => new Response('x'.repeat(1024 * 1024 + 1))`);
    const response = await fetch(`${server.url}/x/${id}`);
    expect(response.status).toBe(502);
    const problem = (await response.json()) as { detail: string; runStatus: string };
    expect(problem.runStatus).toBe('error');
    expect(problem.detail).toMatch(/1048576/);
  });

  it('a response of exactly 1 MiB is served', async () => {
    const id = await endpoint(`export default () => new Response('x'.repeat(1024 * 1024))`);
    const response = await fetch(`${server.url}/x/${id}`);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBe(1024 * 1024);
  });

  it('a request body over 1 MiB is 413, and the client reads it', async () => {
    const id = await endpoint(`export default () => 'never'`);
    const body = Buffer.alloc(1024 * 1024 + 1, 97);
    // Streamed without a length, then with one: both get the 413 rather than a broken pipe.
    const declared = await fetch(`${server.url}/x/${id}`, { method: 'POST', body });
    expect(declared.status).toBe(413);
    expectSafetyHeaders(declared.headers);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/x/${id}`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(streamed).toBe(413);
  });

  it('404 for an unknown, private, non-endpoint or malformed id, and /x itself is not the SPA', async () => {
    const privateId = await endpoint(`export default () => 'secret'`, { visibility: 'private' });
    const plain = (await client.newAcorn(owner, { code: `export default () => 'plain'` })).id;
    const unlisted = await endpoint(`export default () => new Response('unlisted ok')`, { visibility: 'unlisted' });
    for (const path of [`/x/${'a'.repeat(20)}`, `/x/${privateId}`, `/x/${plain}`, '/x/not!an!id', '/x', '/x/']) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expectSafetyHeaders(response.headers);
    }
    expect(await (await fetch(`${server.url}/x/${unlisted}`)).text()).toBe('unlisted ok');
  });

  it('turning endpoint off (PATCH) stops serving at once', async () => {
    const id = await endpoint(`export default () => 'on'`);
    expect((await fetch(`${server.url}/x/${id}`)).status).toBe(200);
    const patched = await client.api('PATCH', `/api/acorns/${id}`, {
      key: owner,
      json: { endpoint: false },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint).toBe(false);
    expect((await fetch(`${server.url}/x/${id}`)).status).toBe(404);
  });

  it('web globals are there in every run, and fetch is refused', async () => {
    const id = await endpoint(`export default async () => {
      const out = {
        uuid: /^[0-9a-f-]{36}$/.test(crypto.randomUUID()),
        b64: btoa('nut'), back: atob('bnV0'),
        text: new TextDecoder().decode(new TextEncoder().encode('ñ')),
        clone: structuredClone({ a: [1] }).a[0],
        params: new URLSearchParams('a=1&b=2').get('b'),
      };
      try { await fetch('https://example.com'); out.fetch = 'allowed'; } catch (e) { out.fetch = e.message; }
      return out;
    }`);
    const seen = (await (await fetch(`${server.url}/x/${id}`)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ uuid: true, b64: 'bnV0', back: 'nut', text: 'ñ', clone: 1, params: '2' });
    expect(seen.fetch).toMatch(/network/i);
  });
});

describe('the endpoint field', () => {
  it('defaults to false, is set on create and PATCH, shows in lists and revisions', async () => {
    const plain = await client.api('POST', '/api/acorns', {
      key: owner,
      json: { title: 'plain', language: 'javascript', code: '1', visibility: 'public' },
    });
    expect(plain.body.endpoint).toBe(false);
    const id = await endpoint(`export default () => 1`, { title: 'listed endpoint' });
    const mine = await client.api<{ items: { id: string; endpoint: boolean }[] }>('GET', '/api/acorns?mine=true', {
      key: owner,
    });
    expect(mine.body.items.find((a) => a.id === id)?.endpoint).toBe(true);
    const everyone = await client.api<{ items: { id: string; endpoint: boolean }[] }>('GET', '/api/acorns');
    expect(everyone.body.items.find((a) => a.id === id)?.endpoint).toBe(true);
    await client.api('PATCH', `/api/acorns/${id}`, {
      key: owner,
      json: { title: 'v2' },
      headers: { 'if-match': '"1"' },
    });
    const revisions = await client.api<{ items: { version: number; endpoint: boolean }[] }>(
      'GET',
      `/api/acorns/${id}/revisions`,
    );
    expect(revisions.body.items).toEqual([expect.objectContaining({ version: 1, endpoint: true })]);
  });

  it('must be a boolean', async () => {
    const reply = await client.api('POST', '/api/acorns', {
      key: owner,
      json: { title: 'bad', language: 'javascript', code: '1', visibility: 'public', endpoint: 'yes' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'endpoint' })]);
  });

  it('a fork is not an endpoint until its owner says so', async () => {
    const id = await endpoint(`export default () => 'original'`);
    const other = await client.newKey();
    const fork = await client.api('POST', `/api/acorns/${id}/fork`, { key: other });
    expect(fork.status).toBe(201);
    expect(fork.body.endpoint).toBe(false);
  });
});

describe('POST /api/run with request (the tester, for unsaved code)', () => {
  it('calls the draft as a handler and returns its response', async () => {
    const reply = await client.api<{
      status: string;
      response: { status: number; headers: [string, string][]; bodyBase64: string };
    }>('POST', '/api/run', {
      key: owner,
      json: {
        language: 'typescript',
        code: `export default async (req: Request) => new Response(req.method + ' ' + new URL(req.url).pathname + ' ' + await req.text(), { status: 202 })`,
        request: { method: 'POST', url: 'http://localhost/x/draft/hello', headers: [['x-a', '1']], body: 'nuts' },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
    expect(reply.body.response.status).toBe(202);
    expect(Buffer.from(reply.body.response.bodyBase64, 'base64').toString()).toBe('POST /x/draft/hello nuts');
  });

  it('refuses a bad request description', async () => {
    for (const request of [
      { method: 'GET', url: 'ftp://x/y' },
      { method: 'GE T', url: 'http://x/y' },
      { method: 'GET', url: 'http://x/y', body: 'no' },
    ]) {
      const reply = await client.api('POST', '/api/run', {
        json: { language: 'javascript', code: 'export default () => 1', request },
      });
      expect(reply.status, JSON.stringify(request)).toBe(400);
    }
  });
});

describe('invocations and metrics', () => {
  it('are recorded for a known mix of calls and readable by the owner and an admin only', async () => {
    const id = await endpoint(`export default (req) => {
      const url = new URL(req.url);
      console.log('called', req.method, url.pathname);
      if (url.searchParams.has('boom')) throw new TypeError('boom');
      return new Response('fine', { status: url.searchParams.has('teapot') ? 418 : 200 });
    }`);
    const calls = [
      ['GET', '/'],
      ['POST', '/a?x=1'],
      ['GET', '/b?teapot=1'],
      ['DELETE', '/c?boom=1'],
    ] as const;
    for (const [method, path] of calls) await fetch(`${server.url}/x/${id}${path}`, { method });
    await server.deps.settle();

    const list = await client.api<InvocationList>('GET', `/api/acorns/${id}/invocations`, { key: owner });
    expect(list.status).toBe(200);
    const items = list.body.items;
    expect(items.map((i) => [i.method, i.path, i.query, i.status, i.runStatus])).toEqual([
      ['DELETE', '/c', 'boom=1', 502, 'error'],
      ['GET', '/b', 'teapot=1', 418, 'ok'],
      ['POST', '/a', 'x=1', 200, 'ok'],
      ['GET', '/', '', 200, 'ok'],
    ]);
    const failed = items[0] as Invocation;
    expect(failed.error).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(failed.logs.map((l) => l.message)).toEqual([`called DELETE /x/${id}/c`]);
    expect(failed.acornVersion).toBe(1);
    expect(failed.wallMs).toBeGreaterThan(0);

    // Pages of 3, then the rest.
    const first = await client.api<InvocationList>('GET', `/api/acorns/${id}/invocations?limit=3`, { key: owner });
    expect(first.body.items).toHaveLength(3);
    const rest = await client.api<InvocationList>(
      'GET',
      `/api/acorns/${id}/invocations?limit=3&cursor=${first.body.nextCursor}`,
      { key: owner },
    );
    expect(rest.body.items.map((i) => i.path)).toEqual(['/']);
    expect(rest.body.nextCursor).toBeNull();

    const metrics = await client.api<MetricsResponse>('GET', `/api/acorns/${id}/metrics?step=1m`, { key: owner });
    expect(metrics.status).toBe(200);
    expect(metrics.body.endpoints.map((e) => e.endpoint)).toEqual([`acorn:${id}`]);
    const totals = metrics.body.endpoints[0]!.totals;
    expect(totals).toMatchObject({ count: 4, status2xx: 2, status4xx: 1, status5xx: 1 });
    expect(totals.outcomes).toMatchObject({ ok: 3, error: 1 });

    // An admin sees them too; the admin overview has the route, not one series per acorn.
    expect((await client.api('GET', `/api/acorns/${id}/invocations`, { key: adminKey })).status).toBe(200);
    expect((await client.api('GET', `/api/acorns/${id}/metrics`, { key: adminKey })).status).toBe(200);
    const overview = await client.api<MetricsResponse>('GET', '/api/admin/metrics', { key: adminKey });
    const names = overview.body.endpoints.map((e) => e.endpoint);
    expect(names).toContain('endpoints.call');
    expect(names.filter((n) => n.startsWith('acorn:'))).toEqual([]);
  });

  it('401 without a key, 403 for someone else, 404 for a missing or hidden acorn, 400 for a bad cursor', async () => {
    const id = await endpoint(`export default () => 1`);
    const privateId = await endpoint(`export default () => 1`, { visibility: 'private' });
    const stranger = await client.newKey();
    for (const route of ['invocations', 'metrics']) {
      expect((await client.api('GET', `/api/acorns/${id}/${route}`)).status).toBe(401);
      const forbidden = await client.api('GET', `/api/acorns/${id}/${route}`, { key: stranger });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get('content-type')).toBe('application/problem+json');
      expect((await client.api('GET', `/api/acorns/${privateId}/${route}`, { key: stranger })).status).toBe(404);
      expect((await client.api('GET', `/api/acorns/${'b'.repeat(20)}/${route}`, { key: owner })).status).toBe(404);
    }
    expect((await client.api('GET', `/api/acorns/${id}/invocations?cursor=bogus`, { key: owner })).status).toBe(400);
    expect((await client.api('GET', `/api/acorns/${id}/invocations?limit=0`, { key: owner })).status).toBe(400);
    expect((await client.api('GET', `/api/acorns/${id}/metrics?step=2m`, { key: owner })).status).toBe(400);
    const fresh = await client.api<MetricsResponse>('GET', `/api/acorns/${id}/metrics`, { key: owner });
    expect(fresh.body.endpoints).toEqual([expect.objectContaining({ endpoint: `acorn:${id}` })]);
    expect(fresh.body.endpoints[0]!.totals.count).toBe(0);
  });
});

describe('rate limit', () => {
  it('429 with Retry-After past ENDPOINT_RATE_LIMIT calls a minute, per acorn', async () => {
    const limited = await startTestServer({ ENDPOINT_RATE_LIMIT: '3' });
    try {
      const c = clientFor(limited.url);
      const key = await c.newKey();
      const a = (await c.newAcorn(key, { code: `export default () => 'a'`, endpoint: true })).id;
      const b = (await c.newAcorn(key, { code: `export default () => 'b'`, endpoint: true })).id;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.url}/x/${a}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await fetch(`${limited.url}/x/${a}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expectSafetyHeaders(refused.headers);
      // Another acorn has its own budget.
      expect((await fetch(`${limited.url}/x/${b}`)).status).toBe(200);
    } finally {
      await limited.destroy();
    }
  });
});
