// Live logs (`onLog`) and cancellation (`signal`), through real workers and real isolates, and in-process (Lambda).
import { readFileSync } from 'node:fs';
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcessRunner,
  createSandbox,
  type RunCancelled,
  type RunRejection,
  type RunRequest,
  type Sandbox,
} from '../src/index.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = createSandbox({ workers: 2, runsPerWorker: 4 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

const js = (code: string, more: Partial<RunRequest> = {}): RunRequest => ({
  owner: 'streamer',
  language: 'javascript',
  code,
  ...more,
});

/** Runs with live logs, noting when each entry arrived (ms since the run was asked for). */
async function streamed(request: RunRequest, signal?: AbortSignal) {
  const started = performance.now();
  const seen: { entry: LogEntry; at: number }[] = [];
  const result = await sandbox.run(request, {
    onLog: (entry) => seen.push({ entry, at: performance.now() - started }),
    ...(signal ? { signal } : {}),
  });
  return { result, seen, ended: performance.now() - started };
}

/** CPU time of all worker processes so far, from /proc (undefined where there is none). */
function workerCpuMs(): number | undefined {
  try {
    const tick = 10; // USER_HZ is 100 on Linux
    let total = 0;
    for (const w of sandbox.stats().workers) {
      const fields = readFileSync(`/proc/${w.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    }
    return total;
  } catch {
    return undefined;
  }
}

const asResult = (r: RunResult | RunRejection | RunCancelled): RunResult => {
  if (!('status' in r)) throw new Error(`no result: ${JSON.stringify(r)}`);
  return r;
};

describe('live logs', () => {
  it('streams exactly the entries of result.logs, in order (promises, errors, tables, groups, mapped positions)', async () => {
    const code = [
      "console.log('one', { a: 1 });",
      'const p = Promise.resolve(7);',
      "console.log('p', p);",
      "console.warn('two');",
      "console.group('g'); console.info('inside'); console.groupEnd();",
      'console.table([{ x: 1 }, { x: 2 }]);',
      "console.error(new Error('boom'));",
      'await new Promise((r) => setTimeout(r, 5));',
      "for (let i = 0; i < 50; i++) console.log('line', i);",
      "console.log('pending', new Promise(() => {}));",
      "'done'",
    ].join('\n');
    const { result, seen } = await streamed(js(code, { language: 'typescript' }));
    const r = asResult(result);
    expect(r.status).toBe('ok');
    expect(r.value).toBe('done');
    expect(r.logs.length).toBe(58);
    expect(seen.map((s) => s.entry)).toEqual(r.logs);
    expect(r.logs[1]?.message).toBe('p Promise { 7 }');
    expect(r.logs.at(-1)?.message).toBe('pending Promise { <pending> }');
    expect(r.logs.find((l) => l.level === 'error')?.message).toMatch(/acorn\.ts:7:15/);
    // The same run without live logs gives the same entries.
    const plain = asResult(await sandbox.run(js(code, { language: 'typescript' })));
    expect(plain.logs.map(({ t: _t, ...rest }) => rest)).toEqual(r.logs.map(({ t: _t, ...rest }) => rest));
  });

  it('keeps the caps: what is streamed is what the result keeps', async () => {
    const code = "for (let i = 0; i < 5000; i++) console.log('x'.repeat(100), i); 1";
    const { result, seen } = await streamed(js(code));
    const r = asResult(result);
    expect(r.truncated.logs).toBe(true);
    expect(seen.map((s) => s.entry)).toEqual(r.logs);
  });

  it('delivers a log written before a timer long before the run ends', async () => {
    const code = "console.log('before'); await new Promise((r) => setTimeout(r, 400)); console.log('after'); 1";
    const { result, seen, ended } = await streamed(js(code));
    expect(asResult(result).status).toBe('ok');
    expect(seen.map((s) => s.entry.message)).toEqual(['before', 'after']);
    const first = seen[0]?.at ?? Number.POSITIVE_INFINITY;
    console.info(`timer: 'before' after ${first.toFixed(1)} ms, run ended after ${ended.toFixed(1)} ms`);
    expect(ended - first).toBeGreaterThan(300);
  });

  it("delivers a synchronous loop's logs before its deadline ends it", async () => {
    const code = "console.log('start'); for (let i = 0; i < 3; i++) console.log('i', i); for (;;) {}";
    const { result, seen, ended } = await streamed(js(code, { limits: { timeoutMs: 1500 } }));
    const r = asResult(result);
    expect(r.status).toBe('timeout');
    expect(seen.map((s) => s.entry.message)).toEqual(['start', 'i 0', 'i 1', 'i 2']);
    expect(seen.map((s) => s.entry)).toEqual(r.logs);
    const first = seen[0]?.at ?? Number.POSITIVE_INFINITY;
    console.info(`loop: 'start' after ${first.toFixed(1)} ms, run ended after ${ended.toFixed(1)} ms`);
    expect(first).toBeLessThan(ended - 1000);
  });
});

describe('cancellation', () => {
  it('frees every slot at once: 12 endless runs aborted, then another owner runs within 1 s', async () => {
    const controllers = Array.from({ length: 12 }, () => new AbortController());
    const runs = controllers.map((c, i) =>
      sandbox.run(js('for (;;) {}', { owner: `looper-${i}`, limits: { timeoutMs: 10_000 } }), { signal: c.signal }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const aborted = performance.now();
    for (const c of controllers) c.abort();
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 12 }, () => ({ cancelled: true })));
    const settledMs = performance.now() - aborted;
    const started = performance.now();
    const next = asResult(await sandbox.run(js('1 + 2', { owner: 'after-the-loops' })));
    const nextMs = performance.now() - started;
    console.info(
      `cancel: 12 runs settled ${settledMs.toFixed(1)} ms after abort; next run took ${nextMs.toFixed(1)} ms`,
    );
    expect(next).toMatchObject({ status: 'ok', value: 3 });
    expect(nextMs).toBeLessThan(1000);
    expect(sandbox.stats().running).toBe(0);
    expect(sandbox.stats().queued).toBe(0);
    expect(sandbox.stats().workerDeaths).toBe(0);
    // The loops are gone, not merely forgotten: the workers sit nearly idle (Linux: their CPU time in /proc).
    const cpu = workerCpuMs();
    if (cpu !== undefined) {
      await new Promise((r) => setTimeout(r, 300));
      const used = (workerCpuMs() ?? 0) - cpu;
      console.info(`cancel: the workers used ${used} ms of CPU in the 300 ms after`);
      expect(used).toBeLessThan(150);
    }
  });

  it('takes a waiting run out of its queue: it never starts', async () => {
    // One owner runs at most 2 at once: the third waits in its queue.
    const owner = 'queued-owner';
    const busy = [new AbortController(), new AbortController()];
    const running = busy.map((c) =>
      sandbox.run(js('for (;;) {}', { owner, limits: { timeoutMs: 5000 } }), { signal: c.signal }),
    );
    const waiting = new AbortController();
    const logs: LogEntry[] = [];
    const third = sandbox.run(js("console.log('I ran'); 1", { owner }), {
      signal: waiting.signal,
      onLog: (e) => logs.push(e),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(sandbox.stats().queued).toBe(1);
    waiting.abort();
    expect(await third).toEqual({ cancelled: true });
    expect(sandbox.stats().queued).toBe(0);
    for (const c of busy) c.abort();
    expect(await Promise.all(running)).toEqual([{ cancelled: true }, { cancelled: true }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(logs).toEqual([]);
  });

  it('does not run at all when the signal was aborted before', async () => {
    const logs: LogEntry[] = [];
    const r = await sandbox.run(js("console.log('no'); 1"), {
      signal: AbortSignal.abort(),
      onLog: (e) => logs.push(e),
    });
    expect(r).toEqual({ cancelled: true });
    expect(logs).toEqual([]);
  });

  it('stops the logs when aborted', async () => {
    const controller = new AbortController();
    const logs: LogEntry[] = [];
    const code = "let i = 0; setInterval(() => console.log('tick', i++), 10); await new Promise(() => {})";
    const running = sandbox.run(js(code, { owner: 'ticker', limits: { timeoutMs: 5000 } }), {
      signal: controller.signal,
      onLog: (e) => logs.push(e),
    });
    while (logs.length < 3) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const atAbort = logs.length;
    expect(await running).toEqual({ cancelled: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(logs.length).toBe(atAbort);
    expect(logs.map((l) => l.message).slice(0, 3)).toEqual(['tick 0', 'tick 1', 'tick 2']);
  });
});

describe('in-process runner', () => {
  const runner = createInProcessRunner();
  afterAll(() => runner.close());

  it('streams logs (a loop that never yields included) and cancels by disposing the isolate', async () => {
    const started = performance.now();
    const seen: { message: string; at: number }[] = [];
    const controller = new AbortController();
    const running = runner.run(
      {
        owner: 'lambda',
        language: 'javascript',
        code: "console.log('start'); for (;;) {}",
        limits: { timeoutMs: 5000 },
      },
      {
        signal: controller.signal,
        onLog: (e) => {
          seen.push({ message: e.message, at: performance.now() - started });
          controller.abort();
        },
      },
    );
    expect(await running).toEqual({ cancelled: true });
    const ended = performance.now() - started;
    console.info(
      `in-process: 'start' after ${seen[0]?.at.toFixed(1)} ms, cancelled run settled after ${ended.toFixed(1)} ms`,
    );
    expect(seen.map((s) => s.message)).toEqual(['start']);
    expect(ended).toBeLessThan(1000);
    expect(await runner.run({ owner: 'lambda', language: 'javascript', code: '1 + 2' })).toMatchObject({ value: 3 });
    expect(runner.mustExit).toBe(false);
  });

  it('streams what result.logs holds, and refuses a run aborted before', async () => {
    const logs: LogEntry[] = [];
    const code =
      "console.log('a'); await new Promise((r) => setTimeout(r, 20)); console.log('b', Promise.resolve(1)); 2";
    const r = await runner.run({ owner: 'lambda', language: 'javascript', code }, { onLog: (e) => logs.push(e) });
    expect(r).toMatchObject({ status: 'ok', value: 2 });
    expect(logs).toEqual((r as RunResult).logs);
    expect(logs.map((l) => l.message)).toEqual(['a', 'b Promise { 1 }']);
    const before = await runner.run(
      { owner: 'lambda', language: 'javascript', code: '1' },
      { signal: AbortSignal.abort() },
    );
    expect(before).toEqual({ cancelled: true });
  });
});
