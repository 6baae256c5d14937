/**
 * Starts the real local server (`apps/api/src/server/main.ts`) as a child process on a free port, for benchmarks and
 * for tests that kill it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed on stdout so far. */
  output(): string;
  /** SIGTERM, wait for the exit, remove the data dir (unless it was given); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to the server's whole process group (its sandbox workers too), as a crash would; waits for the exit. */
  crash(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Use this data dir (kept on stop) instead of a fresh one. */
  dataDir?: string;
}

const root = new URL('../../..', import.meta.url).pathname;

export async function startServerProcess(
  env: Record<string, string> = {},
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sqb-bench-')));
  const child = spawn(process.execPath, ['--no-node-snapshot', 'apps/api/src/server/main.ts'], {
    cwd: root,
    // Its own process group, so that a crash can take the sandbox workers with it.
    detached: true,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      RUN_RATE_LIMIT: '0',
      IDENTITY_RATE_LIMIT: '0',
      ACORN_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      const exited = new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.once('exit', (code) => resolve(code));
      });
      child.kill('SIGTERM');
      const code = await exited;
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
    async crash() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}
