// Regressions of the sandbox's reliability issue: a TypeScript stripper poisoned by one acorn, innocent runs blamed
// for a worker's death, a FIFO queue one owner could fill, sloppy-mode internals reachable through `.caller`, module
// rewrites placed by text search, typed arrays serialised key by key, and `__proto__` in the input.
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type RunRejection, type RunRequest, type Sandbox } from '../src/index.ts';
import { runner } from './helpers.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);

beforeAll(async () => {
  // One worker, so that every run lands in the same process as the hostile one before it.
  sandbox = createSandbox({ workers: 1 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

const ts = (code: string, options: Partial<RunRequest> = {}) => run(code, { language: 'typescript', ...options });
const normalTs = 'interface P { x: number; y: number }\nconst p: P = { x: input, y: 2 };\np.x * p.y';

describe('the TypeScript stripper', () => {
  it('refuses absurd nesting with a SyntaxError where it starts, and stays usable', async () => {
    const code = `let x: ${'Array<'.repeat(2000)}number${'>'.repeat(2000)} = 1`;
    const r = await ts(code);
    expect(r.status).toBe('error');
    // The 501st `<` is the one too deep: `let x: ` is 7 characters, each `Array<` 6.
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 1, column: 8 + 500 * 6 + 5 });
    expect(r.error?.message).toMatch(/more than 500 levels/);
    for (let i = 0; i < 20; i++) expect(await ts(normalTs, { input: i })).toMatchObject({ status: 'ok', value: i * 2 });
  });

  it('survives a trap in its own wasm (nesting it cannot see as brackets) and serves the next runs', async () => {
    // Ten thousand `!` nest without brackets: this passes the bound and traps the stripper's wasm (amaro, in Node).
    const r = await ts(`let x = ${'!'.repeat(10_000)}1;\nx`);
    expect(r.status).toBe('error');
    expect(r.error?.name).toBe('TypeScriptError');
    // The first run after the trap waits for the fresh stripper to load (~0.2 s, more on a loaded machine).
    const roomy = { limits: { timeoutMs: 5000 } };
    for (let i = 0; i < 20; i++) {
      expect(await ts(normalTs, { input: i, ...roomy })).toMatchObject({ status: 'ok', value: i * 2 });
    }
  });

  it('counts arrow functions as nesting', async () => {
    const r = await ts(`let f = ${'() => '.repeat(1500)}1;\nf`);
    // 500 arrows deep, the 501st's parenthesis is one level too many: `let f = ` is 8 characters, each `() => ` 6.
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 1, column: 9 + 500 * 6 });
  });

  it('keeps ordinary nesting, strings and comments out of the count', async () => {
    const brackets = `${'('.repeat(100)}1${')'.repeat(100)}`;
    const code = [
      `const s: string = '${'('.repeat(600)}' + \`${'['.repeat(600)}\${${brackets}}\`;`,
      `// ${'{'.repeat(600)}`,
      `/* ${'<'.repeat(600)} */`,
      ...Array.from({ length: 600 }, (_, i) => `if (${i} < input) {}`),
      's.length',
    ].join('\n');
    expect(await ts(code, { input: 1 })).toMatchObject({ status: 'ok', value: 1201 });
  });
});

describe('a worker killed by one owner’s run', () => {
  let shared: Sandbox;
  beforeAll(async () => {
    // Everything in one worker: the victim's run is always beside the bombs, and executing when they go off.
    shared = createSandbox({ workers: 1 });
    await shared.ready();
  });
  afterAll(() => shared.close());

  const submit = (owner: string, code: string, limits: RunRequest['limits'] = { timeoutMs: 10_000 }) =>
    shared.run({ owner, language: 'javascript', code, limits });

  const mapBomb = 'const m = new Map();\nfor (let i = 0; ; i++) m.set(i, { i });';

  it('costs the other owners’ runs nothing, again and again', { timeout: 90_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      // The victim starts first and computes for 2 s, so both bombs go off while it is inside its isolate: the Map
      // bomb as a catastrophic out-of-memory error (~0.5 s at 16 MiB), the array one at its 1 s deadline + grace.
      const victim = submit(
        'victim',
        'const end = Date.now() + 2000;\nlet n = 0;\nwhile (Date.now() < end) n++;\n"alive"',
      );
      const bombs = [
        submit('bomber', mapBomb, { memoryMb: 16 }),
        submit('bomber', 'new Array(1e9).fill(0)', { timeoutMs: 1000 }),
      ];
      expect(await victim).toMatchObject({ status: 'ok', value: 'alive' });
      for (const bomb of await Promise.all(bombs)) {
        if ('rejected' in bomb) expect(bomb.rejected).toBe('owner-quarantined');
        else expect(['memory', 'timeout', 'killed']).toContain(bomb.status);
      }
    }
  });

  it('refuses an owner whose runs killed 3 workers lately, and only that owner', { timeout: 90_000 }, async () => {
    // A Map bomb mostly kills its worker (catastrophic out-of-memory), sometimes only hits its isolate's limit.
    let deaths = 0;
    for (let tries = 0; deaths < 3 && tries < 12; tries++) {
      const before = shared.stats().workerDeaths;
      const bomb = (await submit('repeat-bomber', mapBomb, { memoryMb: 16, timeoutMs: 10_000 })) as RunResult;
      expect(bomb.status, JSON.stringify(bomb)).toBe('memory');
      deaths += shared.stats().workerDeaths - before;
      await shared.ready();
    }
    expect(deaths).toBe(3);
    const refused = (await submit('repeat-bomber', '1 + 1')) as RunRejection;
    expect(refused).toEqual({ rejected: 'owner-quarantined', retryAfterSeconds: expect.any(Number) });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await submit('victim', '1 + 1')).toMatchObject({ status: 'ok', value: 2 });
  });

  it('retries a run it cannot prove guilty once, and ends it when it is suspected again', async () => {
    const killExecuting = async (except?: number) => {
      let pid: number | undefined;
      while (pid === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        pid = shared.stats().workers.find((w) => w.ready && w.running > 0 && w.pid !== except)?.pid;
      }
      // Let a health report see the run inside its isolate, so that it is a suspect.
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(pid, 'SIGKILL');
      return pid;
    };
    const spinner = submit('spinner', 'while (true) {}', { timeoutMs: 5000 });
    const first = await killExecuting();
    await killExecuting(first);
    expect(await spinner).toMatchObject({ status: 'killed' });
  });
});

describe('the queue', () => {
  it('serves owners in turn, not in order of arrival', async () => {
    const one = createSandbox({ workers: 1, runsPerWorker: 1, maxRunsPerOwner: 1 });
    try {
      await one.ready();
      const order: string[] = [];
      const submit = (owner: string, i: number) =>
        one.run({ owner, language: 'javascript', code: `${i}` }).then(() => order.push(`${owner}${i}`));
      await Promise.all([1, 2, 3, 4, 5, 6].map((i) => submit('a', i)).concat([submit('b', 1), submit('b', 2)]));
      // a1 started at once; from then on the owners with waiting runs take turns.
      expect(order).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'a4', 'a5', 'a6']);
    } finally {
      await one.close();
    }
  });

  it('caps the runs of one owner, so another owner’s run starts while the first one’s sleep', async () => {
    const small = createSandbox({ workers: 1, runsPerWorker: 4, maxQueuedPerOwner: 6 });
    try {
      await small.ready();
      const sleep = { owner: 'sleeper', language: 'javascript', limits: { timeoutMs: 10_000 } } as const;
      let sleepersDone = 0;
      const sleepers = Array.from({ length: 9 }, () =>
        small.run({ ...sleep, code: 'await new Promise((r) => setTimeout(r, 9900));\n1' }).then((r) => {
          sleepersDone++;
          return r;
        }),
      );
      // 2 running, 6 waiting: the 9th is over the owner's share of the queue.
      expect(await sleepers[8]).toEqual({ rejected: 'queue-full', retryAfterSeconds: expect.any(Number) });
      expect(small.stats()).toMatchObject({ running: 2, queued: 6 });
      const other = await small.run({ owner: 'other', language: 'javascript', code: '1 + 1' });
      expect(other).toMatchObject({ status: 'ok', value: 2 });
      expect(sleepersDone).toBe(1); // only the rejected one
    } finally {
      await small.close();
    }
  });
});

describe('background runs (jobs)', () => {
  it('hold at most their share of the slots, and an interactive run never waits behind them', async () => {
    const small = createSandbox({ workers: 1, runsPerWorker: 4, backgroundSlots: 2 });
    try {
      await small.ready();
      const sleep = {
        owner: 'job',
        language: 'javascript',
        code: 'await new Promise((r) => setTimeout(r, 1500));\n1',
        limits: { timeoutMs: 5000 },
      } as const;
      const background = Array.from({ length: 6 }, () => small.run(sleep, { background: true }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Six sent, two running: the other four wait in the background queue, not in the interactive one.
      expect(small.stats()).toMatchObject({ backgroundRunning: 2, backgroundQueued: 4, queued: 0 });
      // The job's own owner too: background runs do not count toward its interactive cap.
      const started = Date.now();
      const [mine, other] = await Promise.all([
        small.run({ owner: 'job', language: 'javascript', code: '1 + 1' }),
        small.run({ owner: 'other', language: 'javascript', code: '2 + 2' }),
      ]);
      expect(mine).toMatchObject({ status: 'ok', value: 2 });
      expect(other).toMatchObject({ status: 'ok', value: 4 });
      expect(Date.now() - started).toBeLessThan(1200); // not after a background sleep
      const results = await Promise.all(background);
      expect(results.map((r) => (r as RunResult).status)).toEqual(Array(6).fill('ok'));
      expect(small.stats()).toMatchObject({ backgroundRunning: 0, backgroundQueued: 0 });
    } finally {
      await small.close();
    }
  });

  it('start only after the interactive runs that could start, and leave their queue when cancelled', async () => {
    const one = createSandbox({ workers: 1, runsPerWorker: 1, maxRunsPerOwner: 1, backgroundSlots: 1 });
    try {
      await one.ready();
      const order: string[] = [];
      const submit = (name: string, background: boolean) =>
        one
          .run({ owner: name[0] as string, language: 'javascript', code: '1' }, { background })
          .then(() => order.push(name));
      const leaving = new AbortController();
      const first = submit('a1', false);
      const runs = [submit('j1', true), submit('j2', true), submit('b1', false), submit('c1', false)];
      const cancelled = one.run(
        { owner: 'j', language: 'javascript', code: '1' },
        { background: true, signal: leaving.signal },
      );
      leaving.abort();
      await Promise.all([first, ...runs]);
      expect(await cancelled).toEqual({ cancelled: true });
      expect(order).toEqual(['a1', 'b1', 'c1', 'j1', 'j2']);
    } finally {
      await one.close();
    }
  });
});

describe('strict mode inside the sandbox', () => {
  const leak = (reader: string) =>
    `(() => { try { const c = ${reader}; return c === null ? 'null' : typeof c; } catch (e) { return e.name; } })()`;

  it('gives a toJSON no way to its caller', async () => {
    const r = await run(`({ toJSON: function () { return ${leak('arguments.callee.caller')}; } })`);
    expect(r).toMatchObject({ status: 'ok', value: 'null' });
  });

  it('gives timer and microtask callbacks no way to their caller', async () => {
    const code = [
      'const seen = [];',
      `setTimeout(function t() { seen.push(${leak('t.caller')}); }, 1);`,
      `const id = setInterval(function i() { seen.push(${leak('i.caller')}); clearInterval(id); }, 1);`,
      `queueMicrotask(function q() { seen.push(${leak('q.caller')}); });`,
      'await new Promise((r) => setTimeout(r, 10));',
      'seen',
    ].join('\n');
    expect(await run(code)).toMatchObject({ status: 'ok', value: ['null', 'null', 'null'] });
  });

  it('gives a getter read while logging no way to its caller', async () => {
    const code = [
      'let seen;',
      'const o = {};',
      `Object.defineProperty(o, 'a', { enumerable: true, get: function g() { seen = ${leak('g.caller')}; return 1; } });`,
      `console.log('%j', o);`,
      'seen',
    ].join('\n');
    const r = await run(code);
    expect(r).toMatchObject({ status: 'ok', value: 'null' });
    expect(r.logs.map((l) => l.message)).toEqual(['{"a":1}']);
  });

  it('cannot drive the serialiser from inside a toJSON to change its own result', async () => {
    const code = [
      'const o = { toJSON: function () {',
      '  const write = arguments.callee.caller;',
      "  if (write) write('', 'forged', 0);",
      "  return 'real';",
      '} };',
      'o',
    ].join('\n');
    expect(await run(code)).toMatchObject({ status: 'ok', value: 'real' });
  });
});

describe('module rewrites placed by acorn’s positions', () => {
  it('finds the `default` keyword past a comment that says default', async () => {
    expect(await run('export /* default */ default 42')).toMatchObject({ status: 'ok', value: 42 });
    expect(await run('export /* default */ default /* default */ (41 + 1)')).toMatchObject({ value: 42 });
    expect(await run('export // default\n  default function main() { return 42 }')).toMatchObject({ value: 42 });
  });

  it('leaves strings and comments holding `default`, `})` and `*/` alone', async () => {
    const code = [
      "const s = 'export default }) */';",
      '// export default })',
      '/* }) ; globalThis.escaped = true ; (function(){ */',
      'export /* }) */ default function main() { return [s, "*/", `})`, typeof escaped]; }',
    ].join('\n');
    expect(await run(code)).toMatchObject({ status: 'ok', value: ['export default }) */', '*/', '})', 'undefined'] });
  });

  it('keeps a comment crafted against a text search inside the wrapper', async () => {
    // A search for "default" from `export` finds the one in the comment; blanking up to it would leave
    // `1}); …` to close the wrapper, run code outside it, and make the function after it the acorn.
    const code = "export /* default 1}); var escaped = 'escaped'; (function(){ x = /*/ default 1; /* */ 2";
    expect(await run(code)).toMatchObject({ status: 'ok', value: 1 });
  });

  it('refuses a module whose HTML-like comments would let it out of the wrapper', async () => {
    // As a module `<!--` is `<`, `!`, `--`; as the script v8 compiles, it starts a comment that hides the `(`.
    const code = [
      'export default 0 <!--a || f(function () {',
      "1 }); var $sqbDefault = 'escaped'; (function () {",
      '1 <!--b })',
    ].join('\n');
    const r = await run(code);
    expect(r.status).toBe('error');
    expect(r.error?.name).toBe('SyntaxError');
  });

  it('still reports the acorn’s own line and column', async () => {
    const code = 'export /* default */ default function main() {\n  return null.x;\n}';
    const plain = await run('export default function main() {\n  return null.x;\n}');
    const r = await run(code);
    expect(r.error).toMatchObject({ name: 'TypeError', line: 2, column: plain.error?.column });
    expect(plain.error?.line).toBe(2);
    const syntax = await run('export /* default */ default 1;\nexport default 2;');
    expect(syntax.error).toMatchObject({ name: 'SyntaxError', line: 2, column: 8 });
  });
});

describe('typed arrays and ArrayBuffers as results', () => {
  // 16 MiB: listing a million keys does not fit, which is how a key-by-key serialiser used to fail.
  const tight = { limits: { memoryMb: 16 } };
  const large = (r: RunResult) => {
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(r.value).toBeUndefined();
    expect(r.truncated.value).toBe(true);
  };

  it('stops at the output cap without walking a large typed array', async () => {
    const u8 = await run('new Uint8Array(1e6)', tight);
    large(u8);
    expect(u8.preview).toMatch(/^Uint8Array\(1000000\) \[/);
    expect(u8.preview).toContain('999900 more items');
    const f64 = await run('new Float64Array(4e5)', tight);
    large(f64);
    expect(f64.preview).toContain('399900 more items');
    large(await run('({ bytes: new Uint8Array(3e6) })', tight));
  });

  it('keeps JSON.stringify’s semantics for small ones and for ArrayBuffers', async () => {
    expect((await run('new Uint8Array([1, 2, 3])')).value).toEqual({ 0: 1, 1: 2, 2: 3 });
    const buffer = await run('new ArrayBuffer(3e6)', tight);
    expect(buffer).toMatchObject({ status: 'ok', value: {} });
    // As Node shows it: the first 100 bytes, then how many more.
    expect(buffer.preview).toMatch(
      /^ArrayBuffer \{\n {2}\[Uint8Contents\]: <(00 ){99}00 \.\.\. 2999900 more bytes>,\n/,
    );
    expect(buffer.preview).toMatch(/\[byteLength\]: 3000000\n\}$/);
  });
});

describe('the input', () => {
  it('reaches the acorn with `__proto__` as an own key', async () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "a": 1}');
    const code = [
      "const own = Object.getOwnPropertyDescriptor(input, '__proto__');",
      '[Object.keys(input), own?.value?.x, Object.getPrototypeOf(input) === Object.prototype, input.x]',
    ].join('\n');
    expect(await run(code, { input })).toMatchObject({ status: 'ok', value: [['__proto__', 'a'], 1, true, null] });
  });
});
