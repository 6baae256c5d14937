import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFor, startTestServer, tempDir } from './harness.ts';

const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await tempDir();
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** `npm run admin -- create-key` exactly as documented, with the server's DATA_DIR. */
async function createAdminKey(): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', 'admin', '--', 'create-key'], {
    cwd: new URL('../../..', import.meta.url).pathname,
    env: { ...process.env, DATA_DIR: dataDir },
  });
  const lines = stdout.trim().split('\n');
  return lines.at(-1)!;
}

it('creates an admin key while no server runs, and another while one runs on the same data dir', async () => {
  const offline = await createAdminKey();
  expect(offline).toMatch(/^sqb_[A-Za-z0-9_-]{43}$/);

  const server = await startTestServer({}, dataDir);
  try {
    const online = await createAdminKey();
    expect(online).toMatch(/^sqb_[A-Za-z0-9_-]{43}$/);
    expect(online).not.toBe(offline);

    // Both keys work, and are admin: they can delete someone else's acorn.
    const { api, newKey, newAcorn } = clientFor(server.url);
    const owner = await newKey();
    for (const adminKey of [offline, online]) {
      const { id } = await newAcorn(owner, { visibility: 'private' });
      expect((await api('GET', '/api/acorns?mine=true', { key: adminKey })).status).toBe(200);
      expect((await api('DELETE', `/api/acorns/${id}`, { key: adminKey })).status).toBe(204);
    }
  } finally {
    await server.close();
  }
}, 60_000);

it('refuses anything but create-key with a usage line', async () => {
  await expect(
    run('npm', ['run', '--silent', 'admin', '--', 'make-key'], {
      cwd: new URL('../../..', import.meta.url).pathname,
      env: { ...process.env, DATA_DIR: dataDir },
    }),
  ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run admin -- create-key') });
}, 30_000);
