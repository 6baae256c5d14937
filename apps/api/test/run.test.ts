import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKERS: '2' });
  client = clientFor(server.url);
  await server.sandbox.ready();
});
afterAll(() => server.destroy());

const run = (json: unknown, key?: string) => client.api<RunResult>('POST', '/api/run', { json, key });

describe('POST /api/run', () => {
  it('runs a script and returns its completion value, logs and timings', async () => {
    const reply = await run({ language: 'javascript', code: 'console.info("sum", [1, 2]); 1 + 2' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(reply.body).toMatchObject({
      status: 'ok',
      value: 3,
      preview: '3',
      logs: [{ level: 'info', message: 'sum [ 1, 2 ]' }],
      truncated: { logs: false, value: false },
    });
    expect(reply.body.wallMs).toBeGreaterThan(0);
    expect(reply.body.cpuMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a TypeScript error at its own line', async () => {
    const code = ['type N = number;', 'const n: N = 1;', 'throw new TypeError("bad " + n);'].join('\n');
    const reply = await run({ language: 'typescript', code });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'error', error: { name: 'TypeError', message: 'bad 1', line: 3 } });
  });

  it('ends an endless loop at the requested deadline with status timeout', async () => {
    const reply = await run({ language: 'javascript', code: 'for (;;) {}', limits: { timeoutMs: 100 } });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('timeout');
    expect(reply.body.wallMs).toBeLessThan(1_000);
  });

  it('validates the body', async () => {
    expect((await run({ language: 'python', code: '1' })).status).toBe(400);
    expect((await run({ language: 'javascript', code: '1', extra: 1 })).status).toBe(400);
    expect((await run({ language: 'javascript', code: '1', limits: { timeoutMs: 60_000 } })).status).toBe(400);
    expect((await client.api('POST', '/api/run')).status).toBe(400);
  });

  it('answers 413 for code over 64 KiB and input over 16 KiB', async () => {
    const big = await run({ language: 'javascript', code: `// ${'x'.repeat(64 * 1024)}` });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ type: 'urn:squirrelbin:problem:code-too-large' });
    const input = await run({ language: 'javascript', code: 'input', input: { blob: 'y'.repeat(17 * 1024) } });
    expect(input.status).toBe(413);
    expect(input.body).toMatchObject({ type: 'urn:squirrelbin:problem:input-too-large' });
  });
});

describe('POST /api/acorns/{id}/run', () => {
  it('runs a saved handler-mode acorn with an input, and with no body at all', async () => {
    const key = await client.newKey();
    const { id } = await client.newAcorn(key, {
      language: 'typescript',
      code: 'export default async function (input: { n?: number } | undefined) {\n  return (input?.n ?? 1) * 2;\n}',
    });
    const withInput = await client.api<RunResult>('POST', `/api/acorns/${id}/run`, { json: { input: { n: 21 } } });
    expect(withInput.body).toMatchObject({ status: 'ok', value: 42 });
    const bare = await client.api<RunResult>('POST', `/api/acorns/${id}/run`);
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ status: 'ok', value: 2 });
  });

  it('runs a private acorn only for its owner', async () => {
    const owner = await client.newKey();
    const stranger = await client.newKey();
    const { id } = await client.newAcorn(owner, { visibility: 'private', code: '"secret"' });
    expect((await client.api<RunResult>('POST', `/api/acorns/${id}/run`, { key: owner })).body).toMatchObject({
      value: 'secret',
    });
    expect((await client.api('POST', `/api/acorns/${id}/run`, { key: stranger })).status).toBe(404);
    expect((await client.api('POST', `/api/acorns/${id}/run`)).status).toBe(404);
    expect((await client.api('POST', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA/run')).status).toBe(404);
  });
});

describe('limits on running', () => {
  it('rate limits runs per owner with 429 and Retry-After', async () => {
    const limited = await startTestServer({ RUN_RATE_LIMIT: '3', RUN_WORKERS: '1' });
    try {
      const api = clientFor(limited.url);
      const key = await api.newKey();
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await api.api('POST', '/api/run', { key, json: { language: 'javascript', code: '1' } })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await api.api('POST', '/api/run', { key, json: { language: 'javascript', code: '1' } });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Another owner has a bucket of its own.
      const other = await api.newKey();
      expect(
        (await api.api('POST', '/api/run', { key: other, json: { language: 'javascript', code: '1' } })).status,
      ).toBe(200);
    } finally {
      await limited.destroy();
    }
  });

  it('answers 503 with Retry-After when every sandbox is busy and the queue is full', async () => {
    const small = await startTestServer({ RUN_WORKERS: '1', RUN_QUEUE: '0' });
    try {
      const api = clientFor(small.url);
      await small.sandbox.ready();
      const slow = { language: 'javascript', code: 'for (;;) {}', limits: { timeoutMs: 800 } };
      const replies = await Promise.all(Array.from({ length: 8 }, () => api.api('POST', '/api/run', { json: slow })));
      const refused = replies.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.body).toMatchObject({ type: 'urn:squirrelbin:problem:run-queue-full' });
      expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(replies.filter((r) => r.status === 200).every((r) => (r.body as RunResult).status === 'timeout')).toBe(
        true,
      );
    } finally {
      await small.destroy();
    }
  });
});
