import { rm } from 'node:fs/promises';
import { startEmbeddedStore } from '@squirrelbin/store';
import { afterAll, expect, it } from 'vitest';
import { clientFor, startTestServer, tempDir } from './harness.ts';

let storeDir: string;
afterAll(() => rm(storeDir, { recursive: true, force: true }));

it('answers 503 problem+json while the store is down, and 200 again once it is back', async () => {
  storeDir = await tempDir();
  const store = await startEmbeddedStore(storeDir);
  const port = new URL(store.endpoint).port;
  const server = await startTestServer({ DYNAMODB_ENDPOINT: store.endpoint });
  try {
    const { api, newKey, newAcorn } = clientFor(server.url);
    const key = await newKey();
    const { id } = await newAcorn(key);
    expect((await api('GET', '/api/health')).status).toBe(200);

    await store.close();
    const down = await api('GET', '/api/health');
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body).toMatchObject({ type: 'urn:squirrelbin:problem:store-unavailable' });
    // Other routes report the outage the same way, not as a 500.
    expect((await api('GET', `/api/acorns/${id}`)).status).toBe(503);

    const back = await startEmbeddedStore(storeDir, Number(port));
    try {
      expect((await api('GET', '/api/health')).status).toBe(200);
      expect((await api('GET', `/api/acorns/${id}`)).status).toBe(200);
    } finally {
      await back.close();
    }
  } finally {
    await server.destroy();
  }
});
