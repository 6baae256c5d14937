/**
 * Imports over real HTTP: modules of the set and other acorns, read with the importing caller's access, through the
 * real server, sandbox and store (DESIGN.md, "Imports").
 */
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ ENDPOINT_RATE_LIMIT: '0' });
  client = clientFor(server.url);
  [alice, bob] = await Promise.all([client.newKey(), client.newKey()]);
});
afterAll(() => server?.destroy());

const run = async (code: string, key?: string, language = 'javascript') => {
  const reply = await client.api<RunResult>('POST', '/api/run', { key, json: { language, code } });
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
};

describe('imports over HTTP', () => {
  it('a module of the set, statically and dynamically, in JavaScript and TypeScript', async () => {
    const js = await run(`import { z } from 'zod';\nz.object({ n: z.number() }).parse({ n: 2 }).n + 1`);
    expect(js).toMatchObject({ status: 'ok', value: 3 });
    const ts = await run(
      `import { chunk } from 'lodash-es';\nconst size: number = 2;\nchunk([1, 2, 3], size)`,
      undefined,
      'typescript',
    );
    expect(ts).toMatchObject({ status: 'ok', value: [[1, 2], [3]] });
    const dynamic = await run(
      `const { default: dayjs } = await import('dayjs');\ndayjs('2026-01-31').add(1, 'day').format('YYYY-MM-DD')`,
    );
    expect(dynamic).toMatchObject({ status: 'ok', value: '2026-02-01' });
  });

  it('an unknown or forbidden specifier ends the run as error, naming it and its line', async () => {
    for (const specifier of ['node:fs', 'child_process', './x.js', 'https://example.com/x.js', 'left-pad']) {
      const result = await run(`const a = 1;\nimport x from '${specifier}';\nx`);
      expect(result.status, specifier).toBe('error');
      expect(result.error?.message).toContain(specifier);
      expect(result.error?.line).toBe(2);
    }
  });

  it('another acorn: current and pinned versions', async () => {
    const lib = await client.newAcorn(alice, { code: `export const answer = 1;\nexport default (n) => n * 10;` });
    const changed = await client.api('PATCH', `/api/acorns/${lib.id}`, {
      key: alice,
      headers: { 'if-match': '"1"' },
      json: { code: `export const answer = 2;\nexport default (n) => n * 100;` },
    });
    expect(changed.status).toBe(200);
    const current = await run(`import scale, { answer } from 'acorn:${lib.id}';\n[answer, scale(2)]`, bob);
    expect(current).toMatchObject({ status: 'ok', value: [2, 200] });
    const pinned = await run(`import scale, { answer } from 'acorn:${lib.id}@1';\n[answer, scale(2)]`, bob);
    expect(pinned).toMatchObject({ status: 'ok', value: [1, 20] });
    const viaDynamic = await run(`(await import('acorn:${lib.id}@1')).answer`, bob);
    expect(viaDynamic).toMatchObject({ status: 'ok', value: 1 });
  });

  it("someone else's private acorn reads as missing, and gives nothing of its content away", async () => {
    const secret = await client.newAcorn(alice, {
      visibility: 'private',
      code: `export const secret = 'the nut is under the oak';`,
    });
    const missing = 'A'.repeat(22);
    const stranger = await run(`import { secret } from 'acorn:${secret.id}';\nsecret`, bob);
    const nobody = await run(`import { secret } from 'acorn:${missing}';\nsecret`, bob);
    expect(stranger.status).toBe('error');
    expect(JSON.stringify(stranger)).not.toContain('oak');
    // The same message as for an acorn that does not exist, but for the id.
    expect(stranger.error?.message.replace(secret.id, 'ID')).toBe(nobody.error?.message.replace(missing, 'ID'));
    // Its owner may import it.
    expect(await run(`import { secret } from 'acorn:${secret.id}';\nsecret`, alice)).toMatchObject({
      status: 'ok',
      value: 'the nut is under the oak',
    });
  });

  it('a saved acorn and an endpoint import too (the endpoint with its owner’s access)', async () => {
    const lib = await client.newAcorn(alice, { visibility: 'private', code: `export const greet = (n) => 'hi ' + n;` });
    const saved = await client.newAcorn(alice, {
      visibility: 'private',
      code: `import { greet } from 'acorn:${lib.id}';\ngreet(input)`,
    });
    const ran = await client.api<RunResult>('POST', `/api/acorns/${saved.id}/run`, {
      key: alice,
      json: { input: 'al' },
    });
    expect(ran.body).toMatchObject({ status: 'ok', value: 'hi al' });
    const endpoint = await client.newAcorn(alice, {
      endpoint: true,
      code: `import { greet } from 'acorn:${lib.id}';\nexport default () => new Response(greet('web'));`,
    });
    const response = await fetch(`${server.url}/x/${endpoint.id}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hi web');
  });

  it('a cycle is an error naming the chain', async () => {
    const a = await client.newAcorn(alice, { code: `export const a = 1;` });
    const b = await client.newAcorn(alice, { code: `import { a } from 'acorn:${a.id}';\nexport const b = a;` });
    const changed = await client.api('PATCH', `/api/acorns/${a.id}`, {
      key: alice,
      headers: { 'if-match': '"1"' },
      json: { code: `import { b } from 'acorn:${b.id}';\nexport const a = 1;` },
    });
    expect(changed.status).toBe(200);
    const result = await run(`import { a } from 'acorn:${a.id}';\na`, alice);
    expect(result.status).toBe('error');
    expect(result.error?.message).toContain(`acorn:${a.id}`);
    expect(result.error?.message).toContain(`acorn:${b.id}`);
  });
});
