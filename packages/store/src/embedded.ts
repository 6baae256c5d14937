/// <reference path="./dynalite.d.ts" />
/**
 * The embedded DynamoDB-compatible server (dynalite on LevelDB). A server's own store listens on a Unix socket
 * inside its data dir, which is kept owner-only (0700): no other local user can reach it, as they could a
 * loopback TCP port (and mint an admin key through it). `npm run store` serves it on TCP on purpose, for
 * servers pointed at it with DYNAMODB_ENDPOINT.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { advertise, socketEndpoint, withdraw } from './discovery.ts';
import { openStoreDb, type StoreDb } from './leveldb.ts';
import { fillReserve, spendReserveIfFull } from './reserve.ts';

export { findRunningEmbeddedStore } from './discovery.ts';

export interface EmbeddedStore {
  /** `http://127.0.0.1:<port>`, or `unix:<socket path>` for a private store. */
  endpoint: string;
  close(): Promise<void>;
}

/** Serves the store persisted under `dataDir` on loopback TCP (`port` 0: any free one), for DYNAMODB_ENDPOINT users. */
export async function startEmbeddedStore(dataDir: string, port = 0): Promise<EmbeddedStore> {
  return serve(dataDir, async (server) => {
    await listen(server, () => server.listen(port, '127.0.0.1'));
    return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cleanup: async () => {} };
  });
}

/** Serves the store persisted under `dataDir` on a Unix socket only this user can reach. */
export async function startPrivateEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  return serve(dataDir, async (server) => {
    let socket = join(dataDir, 'store.sock');
    let socketDir: string | undefined;
    // A socket path has a small limit (108 bytes on Linux): past it, a private directory of our own holds it.
    if (Buffer.byteLength(socket) > 100) {
      socketDir = await mkdtemp(join(tmpdir(), 'sqb-store-'));
      socket = join(socketDir, 'store.sock');
    }
    // Left by a process that died without closing: ours now, since we hold the LevelDB lock.
    await rm(socket, { force: true });
    await listen(server, () => server.listen(socket));
    await chmod(socket, 0o600);
    return {
      endpoint: socketEndpoint(socket),
      cleanup: async () => {
        await rm(socketDir ?? socket, { recursive: true, force: true });
      },
    };
  });
}

async function serve(
  dataDir: string,
  start: (server: Server) => Promise<{ endpoint: string; cleanup(): Promise<void> }>,
): Promise<EmbeddedStore> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // An existing data dir too: it holds the store, its socket and store.json.
  await chmod(dataDir, 0o700);
  // Opening it first takes the LevelDB lock: from here on no other process serves this data dir.
  const { db, budget } = await openStoreDb(dataDir);
  const server = dynalite({ db, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start(server);
    await spendReserveIfFull(dataDir, () => advertise(dataDir, started.endpoint));
    // Only now, with the store up: what the disk still has goes back into the reserve for the next start.
    await fillReserve(dataDir, budget.reserveBytes);
  } catch (error) {
    await closeServer(server, db);
    throw error;
  }
  return {
    endpoint: started.endpoint,
    async close() {
      await withdraw(dataDir);
      await closeServer(server, db);
      await started.cleanup();
    },
  };
}

function listen(server: Server, call: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    call();
  });
}

/** dynalite's close also closes LevelDB, which flushes it; but only once the server had started listening. */
function closeServer(server: Server, db: StoreDb): Promise<void> {
  if (!server.listening) return db.close();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
