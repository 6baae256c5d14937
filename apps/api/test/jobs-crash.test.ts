/**
 * Jobs survive their workers (issue 15, item 2): a server killed with SIGKILL mid-job (its sandbox workers too)
 * and started again on the same data dir finishes the job with every iteration recorded exactly once; two servers
 * on one standalone store share a job's lanes, and when one is killed the other finishes its share.
 */
import { rm } from 'node:fs/promises';
import type { Job, JobResult, JobResultList } from '@squirrelbin/schemas';
import { type EmbeddedStore, openStore, startEmbeddedStore } from '@squirrelbin/store';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { call, clientFor, tempDir } from './harness.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
let standalone: EmbeddedStore | undefined;
afterAll(async () => {
  await Promise.all(servers.map((server) => server.crash()));
  await standalone?.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A short lease so a dead server's lanes are taken over in seconds (the default is 10 s). */
const env = { JOB_LEASE_MS: '2000', JOB_POLL_MS: '200' };
/** About 4 ms of work per iteration: 2,000 of them take a few seconds, long enough to be killed in the middle. */
const busy = 'const t = Date.now(); while (Date.now() - t < 4) {}\ninput.n + 1';

async function start(extra: Record<string, string> = {}, dataDir?: string) {
  const started = await startServerProcess({ ...env, ...extra }, dataDir ? { dataDir } : {});
  servers.push(started);
  return started;
}

async function job(base: string, key: string, id: string): Promise<Job> {
  const reply = await call<Job>(base, 'GET', `/api/jobs/${id}`, { key });
  if (reply.status !== 200) throw new Error(`GET job: ${reply.status} ${reply.text}`);
  return reply.body;
}

async function until(base: string, key: string, id: string, done: (job: Job) => boolean, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const current = await job(base, key, id);
    if (done(current)) return current;
    if (Date.now() > end) throw new Error(`job ${id} stuck: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function everyResult(base: string, key: string, id: string): Promise<JobResult[]> {
  const items: JobResult[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const reply = await call<JobResultList>(base, 'GET', `/api/jobs/${id}/results?limit=1000${query}`, { key });
    expect(reply.status).toBe(200);
    items.push(...reply.body.items);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return items;
}

function expectEveryIterationOnce(results: JobResult[], total: number) {
  expect(results.map((r) => r.iteration)).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(results.every((r) => r.status === 'ok' && r.value === 42)).toBe(true);
}

describe('a job whose server is killed', () => {
  it('finishes after a restart on the same data dir, every iteration recorded once', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const first = await start({}, dataDir);
    const { newKey, newAcorn, api } = clientFor(first.url);
    const key = await newKey();
    const acorn = await newAcorn(key, { code: busy });
    const started = await api<Job>('POST', `/api/acorns/${acorn.id}/jobs`, {
      key,
      json: { kind: 'load', iterations: 2000, concurrency: 8, input: { n: 41 } },
    });
    expect(started.status).toBe(202);
    const before = await until(first.url, key, started.body.id, (j) => j.done >= 200);
    await first.crash();
    expect(before.done).toBeLessThan(2000);

    const second = await start({}, dataDir);
    const after = await until(second.url, key, started.body.id, (j) => j.finishedAt !== null);
    expect(after).toMatchObject({ status: 'succeeded', total: 2000, done: 2000 });
    expect(after.counts).toEqual({ ok: 2000, error: 0, timeout: 0, memory: 0, killed: 0 });
    expectEveryIterationOnce(await everyResult(second.url, key, started.body.id), 2000);
    // The active-job slot came back with the end of the job.
    const list = await call<{ items: Job[] }>(second.url, 'GET', `/api/acorns/${acorn.id}/jobs`, { key });
    expect(list.body.items.map((j) => j.status)).toEqual(['succeeded']);
    await second.stop();
  }, 180_000);

  it('is shared by two servers on one store, and finished by the one left when the other is killed', async () => {
    const storeDir = await tempDir();
    dirs.push(storeDir);
    standalone = await startEmbeddedStore(storeDir);
    // One sandbox worker each: 2 job slots, 4 lanes per server, so an 8-lane job needs both.
    const shared = { DYNAMODB_ENDPOINT: standalone.endpoint, RUN_WORKERS: '1' };
    const [a, b] = await Promise.all([start(shared), start(shared)]);
    const { newKey, newAcorn, api } = clientFor(a!.url);
    const key = await newKey();
    const acorn = await newAcorn(key, { code: busy });
    const started = await api<Job>('POST', `/api/acorns/${acorn.id}/jobs`, {
      key,
      json: { kind: 'load', iterations: 2000, concurrency: 8, input: { n: 41 } },
    });
    expect(started.status).toBe(202);
    const id = started.body.id;

    // Both servers hold lanes of the job.
    const store = await openStore({ ...loadConfig({}).store, endpoint: standalone.endpoint, createTables: false });
    try {
      const holders = new Set<string>();
      for (const end = Date.now() + 30_000; holders.size < 2 && Date.now() < end; ) {
        for (const lane of await store.jobs.lanes(id)) {
          // Owners are `host:pid:nonce`: one pid per server.
          if (lane.leaseOwner) holders.add(lane.leaseOwner.split(':')[1]!);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect([...holders].sort()).toEqual([String(a!.child.pid), String(b!.child.pid)].sort());
    } finally {
      await store.close();
    }
    const before = await until(b!.url, key, id, (j) => j.done >= 200);
    await a!.crash();
    expect(before.done).toBeLessThan(2000);
    const after = await until(b!.url, key, id, (j) => j.finishedAt !== null);
    expect(after).toMatchObject({ status: 'succeeded', total: 2000, done: 2000 });
    expect(after.counts.ok).toBe(2000);
    expectEveryIterationOnce(await everyResult(b!.url, key, id), 2000);
    await b!.stop();
  }, 180_000);
});
