// The sandbox under pressure: hostile neighbours must not delay other owners past their deadlines, and a worker
// dying under several owners' runs must cost them nothing but a retry.
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type RunRequest, type Sandbox } from '../src/index.ts';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = createSandbox({ workers: 2, runsPerWorker: 4, maxQueue: 100 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

async function run(request: Omit<RunRequest, 'language'>): Promise<RunResult> {
  const result = await sandbox.run({ language: 'javascript', ...request });
  if (!('status' in result)) throw new Error(`rejected: ${JSON.stringify(result)}`);
  return result;
}

describe('isolation under load', () => {
  it('finishes 50 normal runs within their deadlines while two hostile runs are in flight', async () => {
    const hostile = [
      run({
        owner: 'bomber',
        code: 'const a = [];\nwhile (true) a.push({ n: Math.random() });',
        limits: { timeoutMs: 3000, memoryMb: 16 },
      }),
      run({ owner: 'looper', code: 'while (true) {}', limits: { timeoutMs: 3000 } }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 50)); // both are inside their isolates now
    const deadlineMs = 1000;
    const normal = Array.from({ length: 50 }, async (_, i) => {
      const submitted = performance.now();
      const result = await run({
        owner: `user${i % 5}`,
        code: 'let s = 0;\nfor (let i = 0; i < 1e4; i++) s += i;\ns + input',
        input: i,
        limits: { timeoutMs: deadlineMs },
      });
      return { result, i, elapsed: performance.now() - submitted };
    });
    const finished = await Promise.all(normal);
    for (const { result, i, elapsed } of finished) {
      expect(result).toMatchObject({ status: 'ok', value: 49_995_000 + i });
      expect(elapsed).toBeLessThan(deadlineMs + 250);
    }
    const [bomb, loop] = await Promise.all(hostile);
    expect(bomb?.status).toBe('memory');
    expect(loop?.status).toBe('timeout');
  });

  it('turns runs away with a retry hint when the queue is full', async () => {
    const small = createSandbox({ workers: 1, runsPerWorker: 1, maxQueue: 2 });
    try {
      await small.ready();
      const request = {
        owner: 'o',
        language: 'javascript',
        code: 'while (true) {}',
        limits: { timeoutMs: 100 },
      } as const;
      const results = await Promise.all([
        small.run(request),
        small.run(request),
        small.run(request),
        small.run(request),
      ]);
      expect(results.filter((r) => 'status' in r && r.status === 'timeout')).toHaveLength(3);
      expect(results[3]).toEqual({ rejected: 'queue-full', retryAfterSeconds: expect.any(Number) });
    } finally {
      await small.close();
    }
  });
});

describe('a worker that dies', () => {
  it('retries its runs on a healthy worker and respawns the dead one', async () => {
    const before = sandbox.stats();
    // One owner spins; the others wait on timers, so they are in flight but not executing when the worker dies.
    // It is killed from outside, so no run is proven to blame.
    const victim = run({ owner: 'spinner', code: 'while (true) {}', limits: { timeoutMs: 3000 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busy = sandbox.stats().workers.find((w) => w.running > 0);
    expect(busy).toBeDefined();
    const others = ['alice', 'bob', 'carol'].map((owner) =>
      run({ owner, code: `await new Promise((r) => setTimeout(r, 300));\n'${owner}'`, limits: { timeoutMs: 2000 } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pid = busy?.pid ?? 0;
    process.kill(pid, 'SIGKILL');

    const results = await Promise.all(others);
    expect(results.map((r) => [r.status, r.value])).toEqual([
      ['ok', 'alice'],
      ['ok', 'bob'],
      ['ok', 'carol'],
    ]);
    // Nobody is proven to have killed it, so the run that was executing is retried too (once), and ends on its own.
    expect((await victim).status).toBe('timeout');

    const after = sandbox.stats();
    expect(after.workerDeaths).toBe(before.workerDeaths + 1);
    expect(after.workers.map((w) => w.pid)).not.toContain(pid);
    await sandbox.ready();
    expect(sandbox.stats().workers).toHaveLength(2);
  });
});
