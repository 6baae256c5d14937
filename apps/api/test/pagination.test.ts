import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, inParallel, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.destroy());

it('lists 250 public acorns in 3 pages of up to 100, newest first, none twice, none missing, nothing hidden', async () => {
  const { api, newKey, newAcorn } = clientFor(server.url);
  const key = await newKey();
  const visibilities = Array.from({ length: 280 }, (_, i) =>
    i % 28 === 5 ? 'unlisted' : i % 28 === 9 ? 'private' : 'public',
  );
  const created = await inParallel(visibilities, 6, async (visibility) => ({
    visibility,
    ...(await newAcorn(key, { visibility })),
  }));
  const publicIds = new Set(created.filter((a) => a.visibility === 'public').map((a) => a.id));
  expect(publicIds.size).toBe(260);
  // Take the 10 extra public ones out, so exactly 250 remain public.
  const extra = created.filter((a) => a.visibility === 'public').slice(0, 10);
  for (const acorn of extra) {
    expect((await api('DELETE', `/api/acorns/${acorn.id}`, { key })).status).toBe(204);
    publicIds.delete(acorn.id);
  }

  const pages: { id: string; createdAt: string; visibility: string }[][] = [];
  let cursor: string | null = null;
  do {
    const reply: {
      status: number;
      body: { items: { id: string; createdAt: string; visibility: string }[]; nextCursor: string | null };
    } = await api('GET', `/api/acorns?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(reply.status).toBe(200);
    pages.push(reply.body.items);
    cursor = reply.body.nextCursor;
  } while (cursor && pages.length < 10);

  expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
  const listed = pages.flat();
  expect(new Set(listed.map((a) => a.id)).size).toBe(250);
  expect(new Set(listed.map((a) => a.id))).toEqual(publicIds);
  expect(listed.every((a) => a.visibility === 'public')).toBe(true);
  const times = listed.map((a) => a.createdAt);
  expect(times).toEqual([...times].sort().reverse());
});
