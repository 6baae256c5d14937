/**
 * The embedded store under faults, with the real server: a full disk, a restart after SIGKILL with a stale
 * store.json, and other local users (who must not reach the store at all).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { call, clientFor, startTestServer, tempDir } from './harness.ts';

const run = promisify(execFile);
const root = new URL('../../..', import.meta.url).pathname;
const asRoot = process.getuid?.() === 0;

interface ServerChild {
  url: string;
  child: ChildProcess;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `apps/api/src/server/main.ts` in its own process, so a crash shows as an exit instead of killing the test. */
async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'apps/api/src/server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      RUN_WORKERS: '1',
      RUN_RATE_LIMIT: '0',
      IDENTITY_RATE_LIMIT: '0',
      WEB_DIST: join(dataDir, 'no-web'),
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) at start:\n${out}`)));
  });
  return { url, child, exited, output: () => out };
}

async function stopServer(server: ServerChild, signal: NodeJS.Signals = 'SIGTERM') {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** Incompressible, so it really takes disk space (LevelDB compresses its tables). */
const bulkyCode = () => `// ${randomBytes(45_000).toString('base64')}\n1 + 2`;

// A small disk of its own: a 4 MB tmpfs (CI runs as root; elsewhere these tests are skipped, and say so).
const mountPoint = await mkdtemp(join(tmpdir(), 'sqb-full-'));
const mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).then(
  () => true,
  (error: Error) => {
    console.warn(`SKIPPED the full-disk test: cannot mount a 4 MB tmpfs (needs root): ${error.message}`);
    return false;
  },
);

describe('a full disk', () => {
  const dataDir = join(mountPoint, 'data');
  const servers: ServerChild[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => stopServer(server, 'SIGKILL')));
    if (mounted) await unmount(mountPoint);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it.skipIf(!mounted)(
    'fails only the writes that do not fit, keeps serving reads, and starts again on the full disk',
    async () => {
      const first = await spawnServer(dataDir, { METRICS_FLUSH_MS: '200' });
      servers.push(first);
      const { api, newKey } = clientFor(first.url);
      const key = await newKey();

      const created: string[] = [];
      const fillUp = async (url: string) => {
        for (let i = 0; i < 100; i++) {
          const reply = await call<{ id: string }>(url, 'POST', '/api/acorns', {
            key,
            json: { title: `bulky ${created.length}`, language: 'javascript', code: bulkyCode(), visibility: 'public' },
          });
          if (reply.status !== 201) return reply;
          created.push(reply.body.id);
        }
        throw new Error('the disk never filled up');
      };
      const refused = await fillUp(first.url);
      expect(created.length).toBeGreaterThan(0);
      expectStoreUnavailable(refused);

      // The process lives on (metrics flushes fail too meanwhile), and reads still work.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(first.child.exitCode, first.output()).toBeNull();
      await expectReadsWork(first.url, created);
      const more = { title: 'more', language: 'javascript', code: bulkyCode(), visibility: 'public' };
      expectStoreUnavailable(await api('POST', '/api/acorns', { key, json: more }));
      expect(first.child.exitCode, first.output()).toBeNull();

      // Killed, so the store's log must be replayed at start, with no room for it but the reserve.
      await stopServer(first, 'SIGKILL');
      const second = await spawnServer(dataDir);
      servers.push(second);
      await expectReadsWork(second.url, created);
      // What the restart tidied up (a half-written table file) may take a write or two; then it is full again.
      expectStoreUnavailable(await fillUp(second.url));
      await expectReadsWork(second.url, created);
      expect(await stopServer(second)).toEqual({ code: 0, signal: null });
    },
    120_000,
  );
});

/** A killed server's workers may hold the disk a moment longer; lazily detach it if they still do. */
async function unmount(path: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await run('umount', [path]);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await run('umount', ['-l', path]);
}

/** A write the store could not take: that request fails, as problem+json, and nothing else does. */
function expectStoreUnavailable(reply: Awaited<ReturnType<typeof call>>) {
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.status).toBe(503);
  expect(reply.body).toMatchObject({ type: 'urn:squirrelbin:problem:store-unavailable' });
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
}

async function expectReadsWork(url: string, ids: string[]) {
  const { api } = clientFor(url);
  expect((await api('GET', '/api/health')).status).toBe(200);
  const list = await api<{ items: { id: string }[] }>('GET', '/api/acorns?limit=100');
  expect(list.status).toBe(200);
  // Exactly the acorns whose create succeeded: a failed write leaves nothing behind, not even in an index.
  expect(list.body.items.map((item) => item.id).sort()).toEqual([...ids].sort());
  for (const id of [ids[0]!, ids.at(-1)!]) expect((await api('GET', `/api/acorns/${id}`)).status).toBe(200);
}

describe('a restart after SIGKILL', () => {
  let dataDir: string;
  let sleeper: ChildProcess | undefined;
  afterAll(async () => {
    sleeper?.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('takes over a data dir whose store.json names a live PID but an endpoint nobody answers', async () => {
    dataDir = await tempDir();
    const killed = await spawnServer(dataDir, { METRICS: 'off' });
    const { newKey, newAcorn } = clientFor(killed.url);
    const { id } = await newAcorn(await newKey());
    await stopServer(killed, 'SIGKILL');

    // The dead server's store.json stays behind; its PID now belongs to some live process (reused).
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const file = join(dataDir, 'store.json');
    const left = JSON.parse(await readFile(file, 'utf8')) as { endpoint: string; pid: number };
    await writeFile(file, JSON.stringify({ ...left, pid: sleeper.pid }));

    const server = await startTestServer({ METRICS: 'off' }, dataDir);
    try {
      expect(server.deps.store.connection.mode).toBe('embedded');
      expect((await call(server.url, 'GET', `/api/acorns/${id}`)).status).toBe(200);
      expect((await clientFor(server.url).api('POST', '/api/identities')).status).toBe(201);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('the embedded store', () => {
  let dataDir: string;
  afterAll(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

  it('is reachable by its owner only: a 0700 data dir, a 0600 store.json, no TCP port', async () => {
    const parent = await tempDir();
    // Only the data dir itself may keep others out, so its parent lets them through; and it starts 0755,
    // as `./.data` would be made by hand or by an older version.
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
    await mkdir(dataDir, { mode: 0o755 });
    const listeningBefore = await listeningTcpPorts();
    const server = await startTestServer({ METRICS: 'off' }, dataDir);
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const file = join(dataDir, 'store.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // The only new TCP listener is the API itself.
      const opened = (await listeningTcpPorts()).filter((port) => !listeningBefore.includes(port));
      expect(opened).toEqual([server.port]);

      const { endpoint } = JSON.parse(await readFile(file, 'utf8')) as { endpoint: string };
      expect(endpoint).toMatch(/^unix:\//);
      if (asRoot) {
        // Another local user can neither read where the store is nor connect to it.
        const probe = await asNobody(`
          const fs = require('node:fs'), net = require('node:net');
          let read; try { fs.readFileSync(${JSON.stringify(file)}); read = 'read'; } catch (e) { read = e.code; }
          const socket = net.connect(${JSON.stringify(endpoint.slice('unix:'.length))});
          socket.on('connect', () => { console.log(read, 'connected'); process.exit(0); });
          socket.on('error', (e) => { console.log(read, e.code); process.exit(0); });`);
        expect(probe.trim()).toBe('EACCES EACCES');
      }
      // And the owner still attaches: what `npm run admin` does while a server runs.
      expect((await clientFor(server.url).api('GET', '/api/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

/** Ports this process listens on over TCP (v4 or v6), from /proc: sockets in LISTEN state among its open fds. */
async function listeningTcpPorts(): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const ports: number[] = [];
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is the 10th field.
      if (fields[3] === '0A' && inodes.has(fields[9]!)) ports.push(Number.parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

async function asNobody(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['-e', script], { uid: 65534, gid: 65534, cwd: '/' });
  return stdout;
}
