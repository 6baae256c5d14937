import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: String(64 * 1024) });
});
afterAll(() => server.destroy());

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

it('answers hundreds of random and malformed requests with 2xx/3xx or 4xx problem+json, never 5xx, and stays healthy', async () => {
  const { api, newKey, newAcorn } = clientFor(server.url);
  const key = await newKey();
  const { id } = await newAcorn(key);
  const random = prng(20261127);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const junkString = () =>
    pick([
      '',
      ' ',
      '\u0000',
      '💥'.repeat(50),
      'a'.repeat(5000),
      '"',
      '{',
      '[]',
      'null',
      '<script>',
      '../../etc/passwd',
      '%00',
    ]);
  const junkValue = (): unknown =>
    pick([null, true, 0, -1, 1e308, 'x', junkString(), [], {}, [1, 'a'], { title: 1 }, { nested: { deep: [null] } }]);
  const bodies = [
    () => '',
    () => '{',
    () => 'not json',
    () => 'null',
    () => '[]',
    () => '"string"',
    () => '12',
    () => JSON.stringify({ title: junkValue(), language: junkValue(), code: junkValue(), visibility: junkValue() }),
    () =>
      JSON.stringify({
        title: 'ok',
        language: 'javascript',
        code: junkString(),
        visibility: 'public',
        [junkString()]: 1,
      }),
    () => JSON.stringify({ input: junkValue() }),
    () => JSON.stringify(Object.fromEntries(Array.from({ length: 5 }, () => [junkString(), junkValue()]))),
    () => 'x'.repeat(70 * 1024),
    () => Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('latin1'),
  ];
  const paths = [
    '/api/health',
    '/api/openapi.json',
    '/api/identities',
    '/api/acorns',
    `/api/acorns/${id}`,
    '/api/acorns/%ZZ',
    `/api/acorns/${'a'.repeat(3000)}`,
    `/api/acorns/${id}/revisions`,
    `/api/acorns/${id}/revisions/1`,
    `/api/acorns/${id}/revisions/99999999999999999999`,
    `/api/acorns/${id}/fork`,
    '/api/acorns?limit=-5&cursor=%7B%7D',
    `/api/acorns?mine=true&q=${encodeURIComponent('\u0000%')}`,
    '/api/nothing',
  ];
  const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'];
  const contentTypes = [
    undefined,
    'application/json',
    'text/plain',
    'application/json; charset=utf-8',
    'multipart/form-data',
    '*/*',
    'application/problem+json',
  ];
  const authorizations = [
    undefined,
    `Bearer ${key}`,
    'Bearer',
    'Bearer sqb_',
    'Basic x',
    `Bearer ${key}x`,
    `bearer  ${key}`,
    '\t',
  ];
  const ifMatches = [undefined, '"1"', '*', 'W/"1"', '"abc"', '', '"99"'];

  const failures: string[] = [];
  for (let i = 0; i < 400; i++) {
    const method = pick(methods);
    const path = pick(paths);
    const headers: Record<string, string> = {};
    const contentType = pick(contentTypes);
    const authorization = pick(authorizations);
    const ifMatch = pick(ifMatches);
    if (contentType) headers['content-type'] = contentType;
    if (authorization) headers.authorization = authorization;
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    const body = method === 'GET' || method === 'HEAD' ? undefined : pick(bodies)();
    const reply = await api(method, path, { headers, ...(body === undefined ? {} : { body }) });
    const label = `#${i} ${method} ${path.slice(0, 60)} ${JSON.stringify(headers).slice(0, 120)}`;
    if (reply.status >= 500) failures.push(`${label} → ${reply.status} ${reply.text.slice(0, 200)}`);
    if (reply.status >= 400 && method !== 'HEAD') {
      if (!reply.headers.get('content-type')?.includes('application/problem+json')) {
        failures.push(`${label} → ${reply.status} without problem+json`);
      }
    }
  }
  expect(failures).toEqual([]);
  expect((await api('GET', '/api/health')).status).toBe(200);
  expect((await api('GET', `/api/acorns/${id}`)).status).toBe(200);
});
