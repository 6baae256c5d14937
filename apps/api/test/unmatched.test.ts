/**
 * What the local server answers to requests no route serves — the same answers the `$default` Lambda gives on AWS
 * (infra/test/lambda-bundles.test.ts) — and keys on routes that never read the identity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let api: ReturnType<typeof clientFor>['api'];

beforeAll(async () => {
  server = await startTestServer();
  api = clientFor(server.url).api;
});

afterAll(async () => {
  await server?.destroy();
});

describe('requests no route serves', () => {
  it('answers a known path asked with another method 405 with Allow, and an unknown path 404', async () => {
    const put = await api('PUT', '/api/acorns/abcdefghijklmnop', { json: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');
    expect(put.body).toMatchObject({ status: 405, type: 'urn:squirrelbin:problem:method-not-allowed' });

    const post = await api('POST', '/api/health');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');

    const unknown = await api('GET', '/api/nothing-here', { key: 'not a key' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, type: 'urn:squirrelbin:problem:route-not-found' });
  });

  it('answers HEAD from the GET route, without a body', async () => {
    const head = await api('HEAD', '/api/health');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('keeps every API answer out of shared caches', async () => {
    for (const reply of [await api('GET', '/api/acorns'), await api('GET', '/api/nothing-here')]) {
      expect(reply.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('looks no key up on routes that never read the identity, and refuses unknown keys where they do', async () => {
    const unknownKey = `sqb_${'z'.repeat(43)}`;
    expect((await api('GET', '/api/health', { key: unknownKey })).status).toBe(200);
    expect((await api('GET', '/api/openapi.json', { key: unknownKey })).status).toBe(200);
    expect((await api('POST', '/api/identities', { key: unknownKey })).status).toBe(201);
    expect((await api('GET', '/api/acorns', { key: unknownKey })).status).toBe(401);
  });
});
