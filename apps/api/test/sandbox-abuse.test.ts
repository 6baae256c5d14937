// What one abusive caller must not do to the others, seen over HTTP on a real server: poison the TypeScript
// stripper for later runs, get an innocent neighbour's run blamed for the worker its own run killed, or hold every
// sandbox slot with sleeping runs.
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, clientFor, startTestServer, type TestServer } from './harness.ts';

const runCode = (server: TestServer, json: Record<string, unknown>, key?: string) =>
  call<RunResult>(server.url, 'POST', '/api/run', { json: { language: 'javascript', ...json }, key });

describe('the TypeScript stripper', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.sandbox.ready();
  });
  afterAll(() => server.destroy());

  const normal = 'interface P { x: number; y: number }\nconst p: P = { x: input, y: 2 };\np.x * p.y';

  it('serves 20 TypeScript runs after one nested deep enough to break it', { timeout: 60_000 }, async () => {
    const deep = await runCode(server, {
      language: 'typescript',
      code: `let x: ${'Array<'.repeat(2000)}number${'>'.repeat(2000)} = 1`,
    });
    expect(deep.status).toBe(200);
    expect(deep.body).toMatchObject({ status: 'error', error: { name: 'SyntaxError', line: 1 } });
    // Nesting without brackets gets past the bound and traps the stripper's wasm: a fresh one takes over.
    const trap = await runCode(server, { language: 'typescript', code: `let x = ${'!'.repeat(10_000)}1;\nx` });
    expect(trap.body.status).toBe('error');
    for (let i = 0; i < 20; i++) {
      // The first run after the trap waits for the fresh stripper to load (~0.2 s, more on a loaded machine).
      const limits = { timeoutMs: 5000 };
      const reply = await runCode(server, { language: 'typescript', code: normal, input: i, limits });
      expect(reply.body, JSON.stringify(reply.body.error)).toMatchObject({ status: 'ok', value: i * 2 });
    }
  });
});

describe('a neighbour’s run that kills its worker', () => {
  let server: TestServer;
  beforeAll(async () => {
    // One worker: the victim's run always shares the process the bombs bring down.
    server = await startTestServer({ RUN_WORKERS: '1' });
    await server.sandbox.ready();
  });
  afterAll(() => server.destroy());

  it('never costs the innocent run its result', { timeout: 120_000 }, async () => {
    const client = clientFor(server.url);
    const [victimKey, bomberKey] = [await client.newKey(), await client.newKey()];
    for (let round = 0; round < 3; round++) {
      // The victim computes for 2 s and starts first, so it is inside its isolate when the bombs go off.
      const victim = runCode(
        server,
        {
          code: 'const end = Date.now() + 2000;\nlet n = 0;\nwhile (Date.now() < end) n++;\n"alive"',
          limits: { timeoutMs: 10_000 },
        },
        victimKey,
      );
      const bombs = [
        runCode(
          server,
          { code: 'const m = new Map();\nfor (let i = 0; ; i++) m.set(i, { i });', limits: { memoryMb: 16 } },
          bomberKey,
        ),
        runCode(server, { code: 'new Array(1e9).fill(0)', limits: { timeoutMs: 1000 } }, bomberKey),
      ];
      const reply = await victim;
      expect(reply.status).toBe(200);
      expect(reply.body, JSON.stringify(reply.body.error)).toMatchObject({ status: 'ok', value: 'alive' });
      // The bombs end as memory/timeout, or are refused once their owner is quarantined.
      for (const bomb of await Promise.all(bombs)) {
        if (bomb.status === 200) expect(['memory', 'timeout', 'killed']).toContain(bomb.body.status);
        else expect([429, 503]).toContain(bomb.status);
      }
    }
  });
});

describe('the run queue', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Anonymous callers may ask for 10 s here, so that 20 sleepers could hold every slot for that long.
    server = await startTestServer({ RUN_ANON_MAX_TIMEOUT_MS: '10000' });
    await server.sandbox.ready();
  });
  afterAll(() => server.destroy());

  it('runs another owner’s 1 + 1 while one owner’s 20 sleeping runs wait their turn', { timeout: 60_000 }, async () => {
    const key = await clientFor(server.url).newKey();
    const answered: unknown[] = [];
    const sleepers = Array.from({ length: 20 }, () =>
      runCode(server, {
        code: 'await new Promise((r) => setTimeout(r, 9900));\n1',
        limits: { timeoutMs: 10_000 },
      }).then((reply) => {
        answered.push(reply.body);
        return reply;
      }),
    );
    // Every sleeper has reached the sandbox, running or waiting.
    for (let stats = server.sandbox.stats(); stats.running + stats.queued < 20; stats = server.sandbox.stats()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const other = await runCode(server, { code: '1 + 1' }, key);
    expect(other.status, other.text).toBe(200);
    expect(other.body).toMatchObject({ status: 'ok', value: 2 });
    expect(answered, JSON.stringify(answered[0])).toHaveLength(0);
    // Done: end the sleepers now rather than after ten rounds of 9.9 s.
    await server.sandbox.close();
    for (const reply of await Promise.all(sleepers)) expect(reply.status).toBe(200);
  });
});
