import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { runner } from './helpers.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);

beforeAll(async () => {
  sandbox = createSandbox({ workers: 1, maxima: { timeoutMs: 2000, memoryMb: 128 } });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

describe('scripts', () => {
  it('returns the completion value of the last expression statement', async () => {
    const r = await run('const a = 1;\na + 2');
    expect(r).toMatchObject({ status: 'ok', value: 3, preview: '3' });
  });

  it('returns the last expression even when function declarations follow it', async () => {
    expect((await run('double(21)\nfunction double(n) { return n * 2 }')).value).toBe(42);
  });

  it('allows top-level await', async () => {
    const r = await run('const v = await Promise.resolve(40);\nv + 2;');
    expect(r).toMatchObject({ status: 'ok', value: 42 });
  });

  it('gives undefined when the script ends with a declaration', async () => {
    const r = await run('const x = 1;');
    expect(r.status).toBe('ok');
    expect(r.value).toBeUndefined();
    expect(r.preview).toBe('undefined');
  });

  it('sees the input as a global', async () => {
    expect((await run('input.a + input.b', { input: { a: 1, b: 2 } })).value).toBe(3);
  });

  it('gets a fresh global for every run', async () => {
    await run('globalThis.leftover = 1; Object.prototype.polluted = true; 0');
    const r = await run('[typeof leftover, ({}).polluted]');
    expect(r.value).toEqual(['undefined', null]);
  });
});

describe('modules', () => {
  it('calls the default export with the input', async () => {
    const r = await run('export default function handler(event) {\n  return { doubled: event.n * 2 };\n}', {
      input: { n: 21 },
    });
    expect(r).toMatchObject({ status: 'ok', value: { doubled: 42 } });
  });

  it('awaits an async default export and keeps line numbers', async () => {
    const code = 'const helper = () => 1;\nexport default async (i) => {\n  await null;\n  throw new Error(i.msg);\n};';
    const r = await run(code, { input: { msg: 'nope' } });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'Error', message: 'nope', line: 4, column: 9 });
  });

  it('takes a default export that is not a function as the result', async () => {
    expect((await run('export const a = 2;\nexport default a * 3;')).value).toBe(6);
  });

  it('rejects imports outside the module set with the position (more in imports.test.ts)', async () => {
    const r = await run('\nimport fs from "node:fs";\nexport default () => fs;');
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'Error', line: 2, column: 1 });
    expect(r.error?.message).toContain('Cannot import "node:fs" (line 2, column 1)');
  });
});

describe('timers', () => {
  it('runs timers after the main code and waits for them', async () => {
    const code = "setTimeout(() => console.log('later'), 20);\nconsole.log('now');\n'done'";
    const r = await run(code);
    expect(r.status).toBe('ok');
    expect(r.value).toBe('done');
    expect(r.logs.map((l) => l.message)).toEqual(['now', 'later']);
    expect(r.logs[1]?.t).toBeGreaterThanOrEqual(15);
  });

  it('stops a setInterval cleared after three ticks', async () => {
    const code =
      'let n = 0;\nconst id = setInterval(() => { n++; console.log(n); if (n === 3) clearInterval(id); }, 5);';
    const r = await run(code);
    expect(r.status).toBe('ok');
    expect(r.logs.map((l) => l.message)).toEqual(['1', '2', '3']);
  });

  it('passes extra arguments and runs timers in due order', async () => {
    const code =
      "setTimeout(console.log, 30, 'b', 2);\nsetTimeout(console.log, 10, 'a', 1);\nclearTimeout(setTimeout(console.log, 5, 'never'));";
    const r = await run(code);
    expect(r.logs.map((l) => l.message)).toEqual(['a 1', 'b 2']);
  });

  it('ends a run whose timer throws with that error', async () => {
    const r = await run("setTimeout(() => { throw new TypeError('late') }, 5);\n1");
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'TypeError', message: 'late', line: 1, column: 26 });
  });
});

describe('console', () => {
  it('captures every level with its time', async () => {
    const r = await run(
      "console.log('l'); console.info('i'); console.warn('w'); console.error('e'); console.debug('d');",
    );
    expect(r.logs.map((l) => [l.level, l.message])).toEqual([
      ['log', 'l'],
      ['info', 'i'],
      ['warn', 'w'],
      ['error', 'e'],
      ['debug', 'd'],
    ]);
    for (const entry of r.logs) expect(entry.t).toBeGreaterThanOrEqual(0);
  });

  it('formats values like util.inspect', async () => {
    const code = [
      "console.log('text', 42, -0, 10n, true, null, undefined, Symbol('s'));",
      "console.log({ a: 1, b: [1, 2], c: 'str', d: { e: { f: { g: 1 } } } });",
      'console.log([function named() {}, () => {}, class Thing {}], async function a() {});',
      "console.log(new Map([['k', 1]]), new Set([1, 2]), new Date(0), /re/g);",
      'const o = { name: "loop" }; o.self = o; console.log(o);',
      "console.log('%s is %d years', 'Ann', 42.5, 'extra');",
      "console.log({ get g() { throw new Error('never called') } }, new Error('boom').message);",
      'class Point { constructor() { this.x = 1 } }; console.log(new Point(), Object.create(null), [,1]);',
    ].join('\n');
    const r = await run(code);
    expect(r.logs.map((l) => l.message)).toEqual([
      'text 42 -0 10n true null undefined Symbol(s)',
      "{ a: 1, b: [ 1, 2 ], c: 'str', d: { e: { f: [Object] } } }",
      '[ [Function: named], [Function (anonymous)], [class Thing] ] [AsyncFunction: a]',
      "Map(1) { 'k' => 1 } Set(2) { 1, 2 } 1970-01-01T00:00:00.000Z /re/g",
      "<ref *1> { name: 'loop', self: [Circular *1] }",
      'Ann is 42.5 years extra',
      '{ g: [Getter] } boom',
      'Point { x: 1 } [Object: null prototype] {} [ <1 empty item>, 1 ]',
    ]);
  });

  it('breaks long objects over lines', async () => {
    const r = await run("console.log({ alpha: 'a'.repeat(30), beta: 'b'.repeat(30), gamma: 'c'.repeat(30) })");
    expect(r.logs[0]?.message).toBe(
      `{\n  alpha: '${'a'.repeat(30)}',\n  beta: '${'b'.repeat(30)}',\n  gamma: '${'c'.repeat(30)}'\n}`,
    );
  });
});

describe('results', () => {
  it('gives JSON and a preview for plain data', async () => {
    const r = await run("({ list: [1, 'two', null], nested: { ok: true } })");
    expect(r.value).toEqual({ list: [1, 'two', null], nested: { ok: true } });
    expect(r.preview).toBe("{ list: [ 1, 'two', null ], nested: { ok: true } }");
  });

  it('gives only a preview for what JSON cannot hold', async () => {
    for (const [code, preview] of [
      ['undefined', 'undefined'],
      ['10n', '10n'],
      ['(function f() {})', '[Function: f]'],
      ['const o = {}; o.self = o; o', '<ref *1> { self: [Circular *1] }'],
    ] as const) {
      const r = await run(code);
      expect(r.status).toBe('ok');
      expect(r.value).toBeUndefined();
      expect(r.preview).toBe(preview);
    }
  });

  it('follows JSON rules: toJSON, dropped undefined, NaN as null', async () => {
    const r = await run('({ d: new Date(0), u: undefined, n: NaN, f() {} })');
    expect(r.value).toEqual({ d: '1970-01-01T00:00:00.000Z', n: null });
  });

  it('reports wall and real CPU time', async () => {
    const idle = await run('await new Promise((r) => setTimeout(r, 100)); 1');
    expect(idle.wallMs).toBeGreaterThanOrEqual(100);
    expect(idle.cpuMs).toBeLessThan(idle.wallMs / 2);
    const busy = await run('let s = 0; for (let i = 0; i < 3e7; i++) s += i; s');
    expect(busy.cpuMs).toBeGreaterThan(busy.wallMs / 4);
  });
});

describe('errors', () => {
  it('reports a syntax error with its position', async () => {
    const r = await run('const a = 1;\nconst b = ;');
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 2, column: 11 });
  });

  it('reports a thrown error at its line in the source', async () => {
    const r = await run('const a = 1;\n\nfunction f() {\n  throw new RangeError("bad");\n}\nf();');
    expect(r.error).toMatchObject({ name: 'RangeError', message: 'bad', line: 4, column: 9 });
    expect(r.error?.stack).toContain('acorn.js:4:9');
    expect(r.error?.stack).not.toContain('bootstrap');
  });

  it('keeps columns of an error in the last expression', async () => {
    const r = await run('let x;\n  x.prop');
    expect(r.error).toMatchObject({ name: 'TypeError', line: 2, column: 5 });
  });
});

describe('TypeScript', () => {
  it('strips types and keeps line numbers in a thrown error', async () => {
    const code = [
      'interface Point { x: number; y: number }',
      'type Id = string;',
      'function check(p: Point, id: Id): number {',
      "  if (p.x < 0) throw new Error('negative ' + id);",
      '  return p.x + p.y;',
      '}',
      'check({ x: -1, y: 2 } as Point, "a1")',
    ].join('\n');
    const r = await run(code, { language: 'typescript' });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'Error', message: 'negative a1', line: 4, column: 22 });
    expect(r.error?.stack).toContain('acorn.ts:4:22');
  });

  it('runs a typed handler module', async () => {
    const code = 'export default function (input: { n: number }): number {\n  return input.n + 1;\n}';
    expect((await run(code, { language: 'typescript', input: { n: 1 } })).value).toBe(2);
  });

  it('transforms an enum (which stripping cannot erase) and keeps the positions of what follows', async () => {
    const code = 'const ok: number = 1;\n  enum Color { Red, Green }\nif (ok) throw new RangeError(Color[1]);';
    const r = await run(code, { language: 'typescript' });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'RangeError', message: 'Green', line: 3, column: 15 });
    expect(r.error?.stack).toContain('acorn.ts:3:15');
  });
});

describe('limits', () => {
  it('ends a run quickly at a 50 ms deadline', async () => {
    const r = await run('while (true) {}', { limits: { timeoutMs: 50 } });
    expect(r.status).toBe('timeout');
    expect(r.wallMs).toBeLessThan(300);
  });

  it('clamps limits beyond the maxima', async () => {
    const r = await run('await new Promise((r) => setTimeout(r, 5000)); 1', { limits: { timeoutMs: 60_000 } });
    expect(r.status).toBe('timeout');
    expect(r.error?.message).toContain('2000 ms');
  });

  it('keeps the logs written before the deadline', async () => {
    const r = await run("console.log('before');\nwhile (true) {}", { limits: { timeoutMs: 100 } });
    expect(r.status).toBe('timeout');
    expect(r.logs.map((l) => l.message)).toEqual(['before']);
  });

  it('honours a smaller memory limit', async () => {
    const code = 'const a = [];\nwhile (true) a.push(new Array(1000).fill(Math.random()));';
    const r = await run(code, { limits: { memoryMb: 16, timeoutMs: 2000 } });
    expect(r.status).toBe('memory');
  });
});
