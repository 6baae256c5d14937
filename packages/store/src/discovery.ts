/**
 * `DATA_DIR/store.json`: how other processes (the admin CLI, more servers) find the embedded store that the
 * process owning the data dir serves. LevelDB allows one process per data dir; the file is only a hint, the
 * LevelDB lock is what decides who owns it.
 */

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

/** A store reached over a Unix socket is written `unix:<absolute path>`; a TCP one as its http URL. */
const unixPrefix = 'unix:';

export const socketEndpoint = (path: string) => `${unixPrefix}${path}`;

/** The socket path of a `unix:` endpoint, or undefined for an http one. */
export function socketPathOf(endpoint: string): string | undefined {
  return endpoint.startsWith(unixPrefix) ? endpoint.slice(unixPrefix.length) : undefined;
}

const discoveryFile = (dataDir: string) => join(dataDir, 'store.json');

/** Writes the file owner-only (0600) and atomically, so a reader never sees half of it nor a wider mode. */
export async function advertise(dataDir: string, endpoint: string): Promise<void> {
  const temporary = `${discoveryFile(dataDir)}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ endpoint, pid: process.pid }), { mode: 0o600 });
  await rename(temporary, discoveryFile(dataDir));
}

export async function withdraw(dataDir: string): Promise<void> {
  await rm(discoveryFile(dataDir), { force: true });
}

/** How long a live store may take to answer the probe; a dead one refuses at once. */
const probeTimeoutMs = 1_500;

/**
 * The endpoint of an embedded store another process serves from `dataDir`, if one answers there. A PID alone
 * proves nothing: after a SIGKILL the file stays behind and its PID may be reused or not yet reaped.
 */
export async function findRunningEmbeddedStore(dataDir: string): Promise<string | undefined> {
  let found: { endpoint?: unknown; pid?: unknown };
  try {
    found = JSON.parse(await readFile(discoveryFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof found.endpoint !== 'string' || typeof found.pid !== 'number') return undefined;
  if (found.pid === process.pid || !isAlive(found.pid)) return undefined;
  return (await answers(found.endpoint)) ? found.endpoint : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a dynalite server answers at `endpoint`: its health check is any GET, answered `healthy: dynamodb…`. */
export function answers(endpoint: string, timeoutMs = probeTimeoutMs): Promise<boolean> {
  const socketPath = socketPathOf(endpoint);
  let url: URL;
  try {
    url = new URL(socketPath ? 'http://localhost/' : endpoint);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const probe = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: '/',
        method: 'GET',
        socketPath,
        timeout: timeoutMs,
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve(response.statusCode === 200 && body.startsWith('healthy: dynamodb')));
        response.on('error', () => resolve(false));
      },
    );
    probe.on('timeout', () => probe.destroy(new Error('store probe timed out')));
    probe.on('error', () => resolve(false));
    probe.end();
  });
}
