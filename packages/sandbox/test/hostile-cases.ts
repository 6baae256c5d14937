// Acorns that try to hang, exhaust, escape or fool the sandbox, each with the exact status it must end with.
import type { RunResult, RunStatus } from '@squirrelbin/schemas';
import { expect } from 'vitest';
import type { RunOptions } from './helpers.ts';

export const fast = { limits: { timeoutMs: 300 } };
export const roomy = { limits: { timeoutMs: 2000, memoryMb: 32 } };

export type HostileCase = [
  name: string,
  code: string,
  status: RunStatus,
  options?: RunOptions,
  check?: (r: RunResult) => void,
];

/** The hostile acorns, by theme; the sandbox suite runs them directly, the API suite over HTTP. */
export const hostileSuites: { title: string; cases: HostileCase[] }[] = [];

function suite(title: string, cases: HostileCase[]) {
  hostileSuites.push({ title, cases });
}

const errorNamed = (name: string) => (r: RunResult) => expect(r.error?.name).toBe(name);

suite('time', [
  ['sync infinite loop', 'while (true) {}', 'timeout'],
  ['async infinite loop', 'await null;\nfor (;;) {}', 'timeout'],
  ['loop that catches termination', 'while (true) { try { for (;;) {} } catch {} }', 'timeout'],
  ['loop that continues in finally', 'while (true) { try { for (;;) {} } finally { continue; } }', 'timeout'],
  ['promise that never settles', 'new Promise(() => {})', 'timeout'],
  ['awaiting a promise that never settles', 'await new Promise(() => {});\n1', 'timeout'],
  ['far-future timer', 'setTimeout(() => {}, 1e9);\n1', 'timeout'],
  ['endless interval', 'setInterval(() => {}, 0);\n1', 'timeout'],
  ['endless chain of timers', '(function again() { setTimeout(again, 0); })();\n1', 'timeout'],
  ['endless microtasks', 'const spin = () => Promise.resolve().then(spin);\nspin();\n1', 'timeout'],
  ['endless queueMicrotask', 'const spin = () => queueMicrotask(spin);\nspin();\n1', 'timeout'],
  ['async function awaiting forever in a loop', 'async function f() { while (true) await null; }\nf();\n1', 'timeout'],
  ['a hundred thousand timers', 'for (let i = 0; i < 1e5; i++) setTimeout(() => {}, 1);\n1', 'timeout'],
  ['ReDoS', "/(a+)+$/.test('a'.repeat(40) + 'b')", 'timeout'],
  ['loop inside eval', "eval('while (true) {}')", 'timeout'],
]);

suite('memory', [
  ['array push loop', 'const a = [];\nwhile (true) a.push({ n: Math.random() });', 'memory', roomy],
  ['Map filled in a loop', 'const m = new Map();\nfor (let i = 0; ; i++) m.set(i, { i });', 'memory', roomy],
  ['ArrayBuffer allocations', 'const a = [];\nwhile (true) a.push(new ArrayBuffer(1e6));', 'memory', roomy],
  ['one huge typed array', 'new Uint8Array(2 ** 31).length', 'memory', roomy],
  // Its garbage collection thrashes before the limit is reached: on a loaded machine that took over 2 s.
  [
    'spread of huge arrays',
    'const a = new Array(2e7).fill(1);\n[...a, ...a].length',
    'memory',
    { limits: { timeoutMs: 6000, memoryMb: 32 } },
  ],
  // Gets past both memoryLimit and timeout inside v8: only the supervisor's kill ends it, at the deadline.
  ['new Array(1e9).fill(0)', 'new Array(1e9).fill(0).length', 'timeout', { limits: { timeoutMs: 500 } }],
  ['string doubling', "let s = 'x';\nwhile (true) s += s;", 'error', roomy, errorNamed('RangeError')],
  ['spread into a call', 'Math.max(...new Array(1e7).fill(1))', 'error', roomy, errorNamed('RangeError')],
  ['deep recursion', 'function f() { return f() + 1; }\nf()', 'error', fast, errorNamed('RangeError')],
]);

suite('output', [
  [
    '100 MB of console output',
    "const chunk = 'x'.repeat(1e6);\nfor (let i = 0; i < 100; i++) console.log(chunk);",
    'ok',
    { limits: { timeoutMs: 5000 } },
    (r) => {
      expect(r.truncated.logs).toBe(true);
      expect(r.wallMs).toBeLessThan(2000);
      expect(r.logs.reduce((n, l) => n + l.message.length, 0)).toBeLessThanOrEqual(65_536);
    },
  ],
  [
    'more log entries than allowed',
    'for (let i = 0; i < 5000; i++) console.log(i);',
    'ok',
    fast,
    (r) => {
      expect(r.logs).toHaveLength(1000);
      expect(r.truncated.logs).toBe(true);
    },
  ],
  [
    'a 10 MB string result',
    "'x'.repeat(1e7)",
    'ok',
    fast,
    (r) => {
      expect(r.value).toBeUndefined();
      expect(r.truncated.value).toBe(true);
      expect(r.preview.length).toBeLessThan(10_000);
    },
  ],
  ['a huge array result', "new Array(1e6).fill('abcdefgh')", 'ok', fast, (r) => expect(r.truncated.value).toBe(true)],
  ['a cyclic result', 'const o = { name: "o" };\no.self = o;\no', 'ok', fast, (r) => expect(r.value).toBeUndefined()],
  ['a BigInt result', '2n ** 64n', 'ok', fast, (r) => expect(r.preview).toBe('18446744073709551616n')],
  [
    'a function result',
    'function secret() {}\nsecret',
    'ok',
    fast,
    (r) => expect(r.preview).toBe('[Function: secret]'),
  ],
  ['a symbol result', "Symbol('s')", 'ok', fast, (r) => expect(r.preview).toBe('Symbol(s)')],
  ['an array nested 100000 deep', 'let a = [];\nfor (let i = 0; i < 1e5; i++) a = [a];\na', 'ok'],
  ['a getter that loops', '({ get a() { while (true) {} } })', 'timeout'],
  ['a getter that recurses', '({ get a() { return this.a; } })', 'error', fast, errorNamed('RangeError')],
  ['a getter that throws', "({ get a() { throw new Error('no'); } })", 'error'],
  ['a looping toJSON', '({ toJSON() { while (true) {} } })', 'timeout'],
  ['a toJSON that nests forever', 'const f = () => ({ inner: { toJSON: f } });\nf()', 'ok'],
  ['a Proxy whose keys loop', 'new Proxy({}, { ownKeys() { while (true) {} } })', 'timeout'],
  ['a Proxy whose traps throw', "new Proxy({}, { get() { throw new Error('trap'); } })", 'error'],
]);

suite('thrown values', [
  ['a string', "throw 'boom'", 'error', fast, (r) => expect(r.error).toMatchObject({ message: "'boom'" })],
  ['a number', 'throw 42', 'error', fast, (r) => expect(r.error?.message).toBe('42')],
  ['null', 'throw null', 'error', fast, (r) => expect(r.error?.message).toBe('null')],
  ['a plain object', 'throw { code: 7 }', 'error', fast, (r) => expect(r.error?.message).toBe('{ code: 7 }')],
  ['a Proxy', 'throw new Proxy({}, { get() { throw 1; }, getPrototypeOf() { throw 2; } })', 'error'],
  [
    'an error whose message getter loops',
    'throw Object.create(Error.prototype, { message: { get() { while (true) {} } } })',
    'timeout',
  ],
  ['a loop in finally', 'try { while (true) {} } finally { while (true) {} }', 'timeout'],
]);

suite('escape attempts', [
  ["this.constructor.constructor('return process')()", "this.constructor.constructor('return process')()", 'error'],
  [
    'probing the real global',
    "const g = Function('return this')();\n[g.require, g.process, g.ivm, g._ivm, g.module, g.Buffer].map((v) => typeof v)",
    'ok',
    fast,
    (r) => expect(r.value).toEqual(Array(6).fill('undefined')),
  ],
  [
    'climbing from console.log',
    "console.log.constructor('return [typeof require, typeof process]')()",
    'ok',
    fast,
    (r) => expect(r.value).toEqual(['undefined', 'undefined']),
  ],
  ["import('fs')", "await import('fs')", 'error'],
  ['import() from Function', 'await Function("return import(\'node:child_process\')")()', 'error'],
  ["require('fs')", "require('fs')", 'error', fast, errorNamed('ReferenceError')],
  // fetch exists (code written for the web expects it) and only says that there is no network.
  [
    'fetch',
    "await fetch('http://example.com')",
    'error',
    fast,
    (r) => expect(r.error).toMatchObject({ name: 'TypeError', message: expect.stringMatching(/no network access/) }),
  ],
  [
    'enumerating globals for isolated-vm',
    [
      'const seen = new Set();',
      'const found = [];',
      'const visit = (o, path, depth) => {',
      "  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 3) return;",
      '  seen.add(o);',
      '  for (const key of Reflect.ownKeys(o)) {',
      '    const name = String(key);',
      '    if (/^_?ivm|isolated|^(ExternalCopy|Reference|Callback|NativeModule|WebAssembly|SharedArrayBuffer|Atomics)$/i.test(name)) found.push(path + name);',
      '    let v;',
      '    try { v = o[key]; } catch { continue; }',
      "    visit(v, path + name + '.', depth + 1);",
      '  }',
      '};',
      "visit(globalThis, '', 0);",
      'found',
    ].join('\n'),
    'ok',
    { limits: { timeoutMs: 2000 } },
    (r) => expect(r.value).toEqual([]),
  ],
  ['WebAssembly memory growth', 'new WebAssembly.Memory({ initial: 1, maximum: 65536 }).grow(60000)', 'error'],
  ['Atomics.wait', 'Atomics.wait(new Int32Array(4), 0, 0, 1e9)', 'error', fast, errorNamed('ReferenceError')],
  ['SharedArrayBuffer', 'new SharedArrayBuffer(8)', 'error', fast, errorNamed('ReferenceError')],
  [
    'Error.prepareStackTrace that loops',
    'Error.prepareStackTrace = () => { while (true) {} };\nnull.x',
    'error',
    fast,
    errorNamed('TypeError'),
  ],
  [
    'Error.prepareStackTrace reaching for call sites',
    "'use strict';\nError.prepareStackTrace = (e, sites) => sites.map((s) => s.getFunction());",
    'error',
    fast,
    (r) => expect(r.error?.message).toMatch(/read.only/),
  ],
]);
