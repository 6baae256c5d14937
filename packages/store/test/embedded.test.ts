import { mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, findRunningEmbeddedStore } from '../src/discovery.ts';
import { startPrivateEmbeddedStore } from '../src/embedded.ts';
import { isStoreUnavailable } from '../src/errors.ts';
import { diskBudget } from '../src/leveldb.ts';
import { reserveFile } from '../src/reserve.ts';

const dirs: string[] = [];
const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sqb-store-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('isStoreUnavailable', () => {
  it('is the store failing or out of reach, never the request', () => {
    const serverFault = Object.assign(new Error('IO error: No space left on device'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const socketGone = Object.assign(new Error('connect ENOENT /x/store.sock'), { code: 'ENOENT' });
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    for (const error of [serverFault, refused, socketGone, timeout]) expect(isStoreUnavailable(error)).toBe(true);

    const conditional = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    for (const error of [conditional, new TypeError('bug'), undefined, 'text']) {
      expect(isStoreUnavailable(error)).toBe(false);
    }
  });
});

describe('diskBudget', () => {
  it('sizes the write buffer, and so the reserve, to the disk', () => {
    expect(diskBudget(100 * 2 ** 30)).toEqual({ writeBufferSize: 2 ** 20, reserveBytes: 3 * 2 ** 20 });
    const tiny = diskBudget(3 * 2 ** 20);
    expect(tiny.writeBufferSize).toBe(128 * 1024);
    // The reserve covers two full logs and one more write, and leaves most of even a 3 MB disk for data.
    expect(tiny.reserveBytes).toBeGreaterThan(2 * tiny.writeBufferSize + 400 * 1024);
    expect(tiny.reserveBytes).toBeLessThan(1.5 * 2 ** 20);
  });
});

describe('the private embedded store', () => {
  it('listens on a socket in its data dir, keeps a reserve, and is found by other processes only while it answers', async () => {
    const dataDir = await newDir();
    const store = await startPrivateEmbeddedStore(dataDir);
    try {
      expect(store.endpoint).toBe(`unix:${join(dataDir, 'store.sock')}`);
      expect((await stat(join(dataDir, 'store.sock'))).mode & 0o777).toBe(0o600);
      const { bsize, blocks } = await statfs(dataDir);
      expect((await stat(reserveFile(dataDir))).size).toBe(diskBudget(bsize * blocks).reserveBytes);
      expect(await answers(store.endpoint)).toBe(true);
      // This process serves it: it never attaches to itself.
      expect(await findRunningEmbeddedStore(dataDir)).toBeUndefined();
    } finally {
      await store.close();
    }
    expect(await answers(store.endpoint)).toBe(false);
    await expect(stat(join(dataDir, 'store.sock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts the socket in a private temporary directory when the data dir path is too long for one', async () => {
    const dataDir = join(await newDir(), 'x'.repeat(100));
    const store = await startPrivateEmbeddedStore(dataDir);
    try {
      expect(store.endpoint).toMatch(/^unix:.*sqb-store-.*\/store\.sock$/);
      expect(await answers(store.endpoint)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
