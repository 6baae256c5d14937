/**
 * A reserve file beside the embedded store's data: space held back so the store can still start when its disk
 * is full (the "emergency ballast" CockroachDB keeps for the same reason). Opening LevelDB replays its log into
 * a new table file, which needs about as much free space as the log holds; without it nothing, not even reads,
 * could be served. The reserve is given up only when a start-up step fails for lack of space, and written back
 * once the store is up.
 */
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const reserveFile = (dataDir: string) => join(dataDir, 'store.reserve');

/** Runs `step`; if it fails for lack of space, releases the reserve and runs it once more. */
export async function spendReserveIfFull<T>(dataDir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isOutOfSpace(error)) throw error;
    await rm(reserveFile(dataDir), { force: true });
    return step();
  }
}

/** ENOSPC or EDQUOT, also as LevelDB reports it: `LEVEL_IO_ERROR` with the OS's message, wrapped in an open error. */
export function isOutOfSpace(error: unknown): boolean {
  for (let e = error as { message?: unknown; cause?: unknown; code?: unknown } | undefined; e; e = e.cause as never) {
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT') return true;
    if (typeof e.message === 'string' && /no space left on device|quota exceeded/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Grows the reserve to `bytes` with written blocks (a sparse file would hold nothing back; a write that finds
 * no room fails at once, so no fsync is needed); stops when the disk is full.
 */
export async function fillReserve(dataDir: string, bytes: number): Promise<void> {
  const path = reserveFile(dataDir);
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size >= bytes) return;
  const file = await open(path, 'a', 0o600);
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let written = size; written < bytes; ) {
      const { bytesWritten } = await file.write(chunk, 0, Math.min(chunk.length, bytes - written));
      written += bytesWritten;
    }
  } catch (error) {
    // Whatever fit stays: a partial reserve still helps the next start.
    if (!isOutOfSpace(error)) throw error;
  } finally {
    await file.close();
  }
}
