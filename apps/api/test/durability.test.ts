import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { clientFor, startTestServer, tempDir } from './harness.ts';

let dataDir: string;
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it('keeps acorns, revisions and identities across a restart on the same data dir', async () => {
  dataDir = await tempDir();
  const first = await startTestServer({}, dataDir);
  const { api, newKey, newAcorn } = clientFor(first.url);
  const key = await newKey();
  const made = [];
  for (let i = 0; i < 5; i++)
    made.push(await newAcorn(key, { title: `durable ${i}`, visibility: i % 2 ? 'private' : 'public' }));
  await api('PATCH', `/api/acorns/${made[0]!.id}`, { key, json: { code: 'edited' }, headers: { 'if-match': '"1"' } });
  await first.close();

  const second = await startTestServer({}, dataDir);
  try {
    const again = clientFor(second.url).api;
    for (const acorn of made) {
      const reply = await again('GET', `/api/acorns/${acorn.id}`, { key });
      expect(reply.status).toBe(200);
    }
    expect((await again('GET', `/api/acorns/${made[0]!.id}`)).body).toMatchObject({ code: 'edited', version: 2 });
    expect((await again('GET', `/api/acorns/${made[0]!.id}/revisions/1`)).body).toMatchObject({ code: '1 + 2' });
    const mine = await again<{ items: unknown[] }>('GET', '/api/acorns?mine=true', { key });
    expect(mine.body.items).toHaveLength(5);
  } finally {
    await second.close();
  }
});
