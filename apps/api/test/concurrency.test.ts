import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.destroy());

it('20 concurrent PATCHes with one If-Match: one wins, nineteen get 412, no version is lost', async () => {
  const { api, newKey, newAcorn } = clientFor(server.url);
  const key = await newKey();
  const { id } = await newAcorn(key, { code: 'original' });

  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      api('PATCH', `/api/acorns/${id}`, { key, json: { code: `writer ${i}` }, headers: { 'if-match': '"1"' } }),
    ),
  );
  const statuses = replies.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 412)).toHaveLength(19);

  const winner = replies.find((r) => r.status === 200)!.body as { code: string; version: number };
  const current = await api<{ code: string; version: number }>('GET', `/api/acorns/${id}`);
  expect(current.body).toMatchObject({ version: 2, code: winner.code });

  // The history holds every accepted version: v1 as a revision, v2 as the current acorn.
  const revisions = await api<{ items: { version: number }[] }>('GET', `/api/acorns/${id}/revisions`);
  expect(revisions.body.items.map((r) => r.version)).toEqual([1]);
  expect((await api('GET', `/api/acorns/${id}/revisions/1`)).body).toMatchObject({ code: 'original' });

  // Losers retry with the version they were told about: every retry lands on top, none overwrites another.
  let version = 2;
  for (const loser of replies.filter((r) => r.status === 412).slice(0, 5)) {
    const seen = (loser.body as { currentVersion: number }).currentVersion;
    expect(seen).toBeGreaterThanOrEqual(2);
    const retry = await api('PATCH', `/api/acorns/${id}`, {
      key,
      json: { code: `retry at ${version}` },
      headers: { 'if-match': `"${version}"` },
    });
    expect(retry.status).toBe(200);
    version++;
  }
  const history = await api<{ items: { version: number }[] }>('GET', `/api/acorns/${id}/revisions`);
  expect(history.body.items.map((r) => r.version)).toEqual([6, 5, 4, 3, 2, 1]);
});
