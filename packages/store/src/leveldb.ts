/**
 * The embedded store's LevelDB, opened here rather than by dynalite: so its write buffer fits the disk, and so
 * a disk too full to replay the log at open can spend the reserve (reserve.ts) instead of failing to start.
 */
import { statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Level } from 'level';
import { isOutOfSpace, spendReserveIfFull } from './reserve.ts';

/** A LevelDB with JSON values, as dynalite stores them. */
export type StoreDb = Level<string, unknown>;

const KiB = 1024;
const MiB = 1024 * KiB;
/** dynalite's largest item (400 KB) as one JSON log record, with room for escaping. */
const largestWrite = MiB;

export interface DiskBudget {
  /** LevelDB's write buffer: once the log holds this much it becomes a table file and is deleted. */
  writeBufferSize: number;
  /** Room to replay the logs at open: the current one, one not yet made a table, and one more write. */
  reserveBytes: number;
}

/**
 * A 1 MiB write buffer (LevelDB's default is 4 MiB) on disks of 64 MiB and more, a 64th of smaller ones: the
 * reserve it calls for (3 MiB) is written out for every new data dir, and more compactions of smaller tables
 * cost little at this store's scale.
 */
export function diskBudget(diskBytes: number): DiskBudget {
  const writeBufferSize = Math.min(MiB, Math.max(128 * KiB, Math.floor(diskBytes / 64)));
  return { writeBufferSize, reserveBytes: 2 * writeBufferSize + largestWrite };
}

/** Opens (creating) the LevelDB under `dataDir/dynamodb`, which also takes its lock: one process per data dir. */
export async function openStoreDb(dataDir: string): Promise<{ db: StoreDb; budget: DiskBudget }> {
  const { bsize, blocks } = await statfs(dataDir);
  const budget = diskBudget(bsize * blocks);
  try {
    return { db: await spendReserveIfFull(dataDir, () => openLevel(dataDir, budget)), budget };
  } catch (error) {
    if (!isOutOfSpace(error)) throw error;
    throw new Error(`the disk holding ${dataDir} is full: the embedded store cannot replay its log to open`, {
      cause: error,
    });
  }
}

async function openLevel(dataDir: string, { writeBufferSize }: DiskBudget): Promise<StoreDb> {
  // Required on first use, not imported: Lambda bundles stand a stub in for the embedded store (dynalite) and
  // must never load LevelDB's native addon.
  const { Level } = createRequire(import.meta.url)('level') as typeof import('level');
  const db: StoreDb = new Level<string, unknown>(join(dataDir, 'dynamodb'), { valueEncoding: 'json', writeBufferSize });
  await db.open();
  return db;
}
