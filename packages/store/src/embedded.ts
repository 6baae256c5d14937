/// <reference path="./dynalite.d.ts" />
/** The embedded DynamoDB-compatible server (dynalite on LevelDB) and how other processes find it. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';

export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/** LevelDB allows one process per data dir; this file tells other processes where that one listens. */
const discoveryFile = (dataDir: string) => join(dataDir, 'store.json');

/** Starts dynalite persisted under `dataDir`, listening on loopback. */
export async function startEmbeddedStore(dataDir: string, port = 0): Promise<EmbeddedStore> {
  await mkdir(dataDir, { recursive: true });
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${actual}`;
  await writeFile(discoveryFile(dataDir), JSON.stringify({ endpoint, pid: process.pid }));
  return {
    endpoint,
    async close() {
      await rm(discoveryFile(dataDir), { force: true });
      // dynalite's close also closes LevelDB, which flushes it.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The endpoint of an embedded store another live process serves from `dataDir`, if any. */
export async function findRunningEmbeddedStore(dataDir: string): Promise<string | undefined> {
  let found: { endpoint?: unknown; pid?: unknown };
  try {
    found = JSON.parse(await readFile(discoveryFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof found.endpoint !== 'string' || typeof found.pid !== 'number') return undefined;
  if (found.pid === process.pid || !isAlive(found.pid)) return undefined;
  return found.endpoint;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
