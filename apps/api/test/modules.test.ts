/** `GET /api/modules` over real HTTP: the manifest of the bundled set, as built. */
import type { ModuleList } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.destroy());

describe('GET /api/modules', () => {
  it('lists every package of the set with its pinned version, description, license and size', async () => {
    const reply = await clientFor(server.url).api<ModuleList>('GET', '/api/modules');
    expect(reply.status).toBe(200);
    const names = reply.body.items.map((m) => m.name);
    for (const name of [
      'zod',
      'lodash-es',
      'date-fns',
      'dayjs',
      'uuid',
      'nanoid',
      'ramda',
      'immer',
      'yaml',
      'marked',
      'papaparse',
    ]) {
      expect(names).toContain(name);
    }
    expect(names).toEqual([...names].sort());
    const zod = reply.body.items.find((m) => m.name === 'zod')!;
    const { version } = (await import('zod/package.json', { with: { type: 'json' } })).default;
    expect(zod).toEqual({
      name: 'zod',
      version,
      description: expect.any(String),
      license: 'MIT',
      bytes: expect.any(Number),
    });
    expect(zod.bytes).toBeGreaterThan(1000);
    for (const item of reply.body.items)
      expect(Object.keys(item).sort()).toEqual(['bytes', 'description', 'license', 'name', 'version']);
  });

  it('needs no key, and is cacheable for a while', async () => {
    const reply = await clientFor(server.url).api('GET', '/api/modules');
    expect(reply.headers.get('cache-control')).toBe('public, max-age=300');
  });
});
