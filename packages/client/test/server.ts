/**
 * A real SquirrelBin server for client and CLI tests: `apps/api/src/server/main.ts` as a child process on a free
 * port, over a fresh embedded store in a temporary data dir, with one sandbox worker (the machine is shared).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TestServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** A new admin key, made by the admin CLI on the server's data dir. */
  adminKey(): Promise<string>;
  /** SIGTERM, wait for the exit, remove the data dir. */
  stop(): Promise<void>;
}

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sqb-client-'));
  const child = spawn(process.execPath, ['--no-node-snapshot', 'apps/api/src/server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST: join(dataDir, 'no-web'),
      RUN_WORKERS: '1',
      RUN_RATE_LIMIT: '0',
      IDENTITY_RATE_LIMIT: '0',
      ACORN_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]!.replace('://localhost:', '://127.0.0.1:'));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    child,
    output: () => out,
    async adminKey() {
      const admin = spawn(process.execPath, ['--no-node-snapshot', 'apps/api/src/cli/admin.ts', 'create-key'], {
        cwd: repoRoot,
        env: { ...process.env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let printed = '';
      admin.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk;
      });
      admin.stderr!.resume();
      const code = await new Promise<number | null>((resolve) => admin.once('exit', resolve));
      const key = printed.trim().split('\n').at(-1);
      if (code !== 0 || !key?.startsWith('sqb_')) throw new Error(`admin create-key exited ${code}: ${printed}`);
      return key;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
