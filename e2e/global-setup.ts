/**
 * Builds the SPA when its sources are newer than the build, then starts the real server (API + SPA) on a
 * free port with a fresh data dir. Tests read the URL and data dir from the environment; the returned
 * function stops the server.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const webDir = join(root, 'apps/web');
const node24 = join(root, 'node_modules/.bin/node');
const nodeBin = existsSync(node24) ? node24 : process.execPath;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function buildWebIfNeeded(): void {
  const built = join(webDir, 'dist/index.html');
  const sources = [
    join(webDir, 'src'),
    join(webDir, 'scripts'),
    join(webDir, 'index.html'),
    join(webDir, 'vite.config.ts'),
  ];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log('[e2e] building the web app…');
  execFileSync('npm', ['run', 'build', '-w', '@squirrelbin/web'], { cwd: root, stdio: 'inherit' });
}

function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(nodeBin, ['--no-node-snapshot', 'apps/api/src/server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      RUN_RATE_LIMIT: '0',
      IDENTITY_RATE_LIMIT: '0',
      ACORN_RATE_LIMIT: '0',
      METRICS_FLUSH_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.E2E_SERVER_LOG) process.stderr.write(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1]!.replace(/\/$/, ''), child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildWebIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'squirrelbin-e2e-'));
  const { url, child } = await startServer(dataDir);
  // Keep draining output so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  process.env.E2E_BASE_URL = url;
  process.env.E2E_DATA_DIR = dataDir;
  console.log(`[e2e] server at ${url}, data in ${dataDir}`);

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.admin-lock`, { recursive: true, force: true });
  };
}
