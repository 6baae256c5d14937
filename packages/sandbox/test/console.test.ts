// The console an acorn sees (bootstrap.js): Node's formatting, errors with their own frames, the methods beyond
// `log`, promise states, the structured `values` beside the text, and that looking at a value never runs acorn code.
// Runs in this process (the in-process runner): the formatting is the same code the worker processes run.
import { type InspectedValue, type LogEntry, type RunResult, RunResult as RunResultSchema } from '@squirrelbin/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { createInProcessRunner } from '../src/index.ts';

const runner = createInProcessRunner({ defaults: { timeoutMs: 2000 } });
afterAll(() => runner.close());

async function run(code: string, language: 'javascript' | 'typescript' = 'javascript'): Promise<RunResult> {
  const result = await runner.run({ owner: 'console', language, code });
  const parsed = RunResultSchema.safeParse(result);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return result;
}
const messages = (r: RunResult) => r.logs.map((l) => l.message);
const only = (r: RunResult): LogEntry => {
  expect(r.logs).toHaveLength(1);
  return r.logs[0] as LogEntry;
};

/** Printed by Node 24's own console for the same code (generated with `node -e`, then pasted). */
const NODE_OUTPUT: [code: string, output: string][] = [
  [
    "console.log({ $a: 1, _b: 2, 'c-d': 3, [Symbol('s')]: 4, 5: 5 })",
    "{ '5': 5, '$a': 1, _b: 2, 'c-d': 3, Symbol(s): 4 }",
  ],
  [
    'console.log(new Array(30).fill(1).map((_, i) => i * 7))',
    '[\n    0,   7,  14,  21,  28,  35,  42,  49,\n   56,  63,  70,  77,  84,  91,  98, 105,\n  112, 119, 126, 133, 140, 147, 154, 161,\n  168, 175, 182, 189, 196, 203\n]',
  ],
  [
    "console.log(new Array(30).fill('ab'))",
    "[\n  'ab', 'ab', 'ab', 'ab', 'ab',\n  'ab', 'ab', 'ab', 'ab', 'ab',\n  'ab', 'ab', 'ab', 'ab', 'ab',\n  'ab', 'ab', 'ab', 'ab', 'ab',\n  'ab', 'ab', 'ab', 'ab', 'ab',\n  'ab', 'ab', 'ab', 'ab', 'ab'\n]",
  ],
  [
    'console.log(Array.from({ length: 120 }, (_, i) => i))',
    '[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,\n  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,\n  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,\n  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,\n  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,\n  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,\n  96, 97, 98, 99,\n  ... 20 more items\n]',
  ],
  ['console.log([1.5, -2, 3n, 100000, 1, 2, 3, 4])', '[\n     1.5, -2, 3n,\n  100000,  1,  2,\n       3,  4\n]'],
  ['console.log([ , , 1, , ], [undefined, null])', '[ <2 empty items>, 1, <1 empty item> ] [ undefined, null ]'],
  [
    "console.log({ a: 'x'.repeat(100) })",
    "{\n  a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n}",
  ],
  [
    'console.log({ a: { b: { c: { d: 1 } } } }, [[[[1]]]], { a: { b: { c: {} } } })',
    '{ a: { b: { c: [Object] } } } [ [ [ [Array] ] ] ] { a: { b: { c: {} } } }',
  ],
  [
    'console.log(new Map([[{ a: 1 }, new Set([1])]]), new Set([[1, 2]]), new WeakMap())',
    'Map(1) { { a: 1 } => Set(1) { 1 } } Set(1) { [ 1, 2 ] } WeakMap { <items unknown> }',
  ],
  [
    'console.log(new (class Foo extends Array {})(1, 2), new (class Bar extends Set {})([1]), class A extends Map {})',
    'Foo(2) [ 1, 2 ] Bar(1) [Set] { 1 } [class A extends Map]',
  ],
  [
    'console.log(Object.create(null), { __proto__: null, a: 1 }, Object.create(Array.prototype))',
    '[Object: null prototype] {} [Object: null prototype] { a: 1 } Array {}',
  ],
  [
    'console.log(function* gen() {}, async function* ag() {}, async () => {}, Object.assign(function f() {}, { a: 1 }))',
    '[GeneratorFunction: gen] [AsyncGeneratorFunction: ag] [AsyncFunction (anonymous)] [Function: f] { a: 1 }',
  ],
  [
    "console.log(new Number(3), new String('ab'), Object(Symbol('q')), new Boolean(false), Object(1n))",
    "[Number: 3] [String: 'ab'] [Symbol: Symbol(q)] [Boolean: false] [BigInt: 1n]",
  ],
  [
    'console.log(new Date(NaN), { d: new Date(0) }, Object.assign(/re/g, { x: 1 }))',
    'Invalid Date { d: 1970-01-01T00:00:00.000Z } /re/g { x: 1 }',
  ],
  [
    'console.log(new ArrayBuffer(3), new Uint8Array([1, 2]), [new Float64Array(0)])',
    'ArrayBuffer { [Uint8Contents]: <00 00 00>, [byteLength]: 3 } Uint8Array(2) [ 1, 2 ] [ Float64Array(0) [] ]',
  ],
  [
    "console.log(\"it's\", [\"it's\"], ['a\"b\\'c'], ['tab\\there\\u0001'])",
    "it's [ \"it's\" ] [ `a\"b'c` ] [ 'tab\\there\\x01' ]",
  ],
  [
    'console.log({ get a() { return 1 }, set b(v) {}, get c() { return 1 }, set c(v) {} })',
    '{ a: [Getter], b: [Setter], c: [Getter/Setter] }',
  ],
  [
    "const o = { name: 'loop' }; o.self = o; o.list = [o, { o }]; console.log(o)",
    "<ref *1> {\n  name: 'loop',\n  self: [Circular *1],\n  list: [ [Circular *1], { o: [Circular *1] } ]\n}",
  ],
  [
    "console.log({ [Symbol.toStringTag]: 'Tagged', a: 1 }, [1, 2, 3].values())",
    "{ a: 1, Symbol(Symbol.toStringTag): 'Tagged' } Object [Array Iterator] {}",
  ],
  [
    "console.log('%s is %d years, %i%%', 'Ann', 42.5, '7.9', 'extra', { x: 1 })",
    'Ann is 42.5 years, 7% extra { x: 1 }',
  ],
  [
    "console.log('%o | %O | %j | %c.', { a: { b: { c: { d: { e: 1 } } } } }, { a: { b: { c: { d: 1 } } } }, { j: [1] }, 'color: red')",
    '{\n  a: {\n    b: { c: { d: { e: 1 } } }\n  }\n} | { a: { b: { c: [Object] } } } | {"j":[1]} | .',
  ],
  ["console.log('%s', [1, [2, [3]]], -0, 12n, Symbol('y'))", '[ 1, [Array] ] -0 12n Symbol(y)'],
  [
    "const e = new Error('nostack'); e.stack = 'Error: nostack'; e.code = 'E1'; console.log(e, [e])",
    "[Error: nostack] { code: 'E1' } [ [Error: nostack] { code: 'E1' } ]",
  ],
];

describe('formatting, as Node prints it', () => {
  it.each(NODE_OUTPUT)('%s', async (code, output) => {
    const r = await run(code);
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(messages(r).join('\n')).toBe(output);
  });

  it('keeps top-level strings raw and quotes nested ones', async () => {
    expect(messages(await run("console.log('a\\nb', ['a\\nb'], 'x'.repeat(3))"))).toEqual(["a\nb [ 'a\\nb' ] xxx"]);
  });
});

describe('errors in the console', () => {
  it('prints the message and the stack, with the acorn’s frames only', async () => {
    const r = await run("function make() { return new Error('x'); }\nconsole.error(make());\nnull");
    const entry = only(r);
    expect(entry.level).toBe('error');
    expect(entry.message).toBe('Error: x\n    at make (acorn.js:1:26)\n    at acorn.js:2:15');
  });

  it('maps positions in the last expression (where `return (` was inserted) back to the source', async () => {
    expect(only(await run("  console.log(new TypeError('last'))")).message).toBe(
      'TypeError: last\n    at acorn.js:1:15',
    );
  });

  it('never shows the sandbox’s own frames, from a timer either', async () => {
    const r = await run("setTimeout(() => console.log(new Error('later')), 1);\nconsole.trace('here');");
    for (const message of messages(r)) {
      expect(message).not.toMatch(/bootstrap|isolated-vm/);
      expect(message).toMatch(/\n {4}at .*acorn\.js:\d+:\d+/);
    }
    expect(messages(r)[0]).toMatch(/^Trace: here\n {4}at acorn\.js:2:9$/);
    expect(messages(r)[1]).toMatch(/^Error: later\n {4}at acorn\.js:1:30$/);
  });

  it('nests an error’s stack, own properties and cause as Node does', async () => {
    const code = [
      "const inner = new Error('inner');",
      "const e = Object.assign(new RangeError('outer', { cause: inner }), { code: 'E1' });",
      'console.log({ e });',
    ].join('\n');
    expect(only(await run(code)).message).toBe(
      [
        '{',
        '  e: RangeError: outer',
        '      at acorn.js:2:25 {',
        "    code: 'E1',",
        '    [cause]: Error: inner',
        '        at acorn.js:1:15',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('shows a subclass by its name, without repeating an own `name` the stack already says', async () => {
    const code =
      "class HttpError extends Error { constructor(m) { super(m); this.name = 'HttpError'; } }\nconsole.log(new HttpError('404'));\nnull";
    expect(only(await run(code)).message).toBe('HttpError: 404\n    at acorn.js:2:13');
  });

  it('brackets an error without frames, and never calls a getter to describe one', async () => {
    const code = [
      'let called = 0;',
      "const e = new Error('quiet');",
      "Object.defineProperty(e, 'name', { get() { called++; return 'Loud'; }, enumerable: true });",
      "const bare = new Error('bare'); bare.stack = 'Error: bare';",
      'console.log(e, bare);',
      'called',
    ].join('\n');
    const r = await run(code);
    expect(r.value).toBe(0);
    expect(only(r).message).toBe('[Error: quiet] { name: [Getter] } [Error: bare]');
  });

  it('maps the positions of errors logged from transformed TypeScript through its source map', async () => {
    const code = [
      'enum Level { Low, High }',
      'class Box { constructor(public level: Level) {} }',
      'const box: Box = new Box(Level.High);',
      "if (box.level === Level.High) console.warn(new Error('high'));",
    ].join('\n');
    const r = await run(code, 'typescript');
    expect(only(r).message).toBe('Error: high\n    at acorn.ts:4:44');
    const tree = only(r).values?.[0] as Extract<InspectedValue, { kind: 'object' }>;
    expect(tree.entries.at(-1)).toEqual({
      key: '[stack]',
      value: { kind: 'primitive', text: 'Error: high\n    at acorn.ts:4:44' },
    });
  });
});

describe('console methods beyond log', () => {
  it('draws console.table as Node does and sends the table itself beside it', async () => {
    const entry = only(await run("console.table([{ a: 1, b: 'x' }, { a: 22, c: [1, 2, 3, 4] }, 5])"));
    expect(entry.message).toBe(
      [
        '┌─────────┬────┬─────┬──────────────────────────────┬────────┐',
        '│ (index) │ a  │ b   │ c                            │ Values │',
        '├─────────┼────┼─────┼──────────────────────────────┼────────┤',
        "│ 0       │ 1  │ 'x' │                              │        │",
        '│ 1       │ 22 │     │ [ 1, 2, 3, ... 1 more item ] │        │',
        '│ 2       │    │     │                              │ 5      │',
        '└─────────┴────┴─────┴──────────────────────────────┴────────┘',
      ].join('\n'),
    );
    expect(entry.table).toEqual({
      columns: ['(index)', 'a', 'b', 'c', 'Values'],
      rows: [
        ['0', '1', "'x'", '', ''],
        ['1', '22', '', '[ 1, 2, 3, ... 1 more item ]', ''],
        ['2', '', '', '', '5'],
      ],
    });
    expect(entry.values).toBeUndefined();
  });

  it('tables Maps, Sets, objects of rows and chosen columns; logs what is not an object', async () => {
    const code = [
      "console.table(new Map([['k', 1], [{ o: 1 }, 'v']]));",
      "console.table(new Set([1, 'two']));",
      'console.table({ r1: { x: 1 }, r2: { y: { deep: { er: 1 } }, z: { a: 1, b: 2, c: 3 } } });',
      "console.table([{ a: 1, b: 2 }, { a: 2 }], ['a', 'z']);",
      "console.table('plain');",
      "console.table([{ name: '中文', n: 1 }]);",
    ].join('\n');
    const r = await run(code);
    expect(r.logs.map((l) => l.table)).toEqual([
      {
        columns: ['(iteration index)', 'Key', 'Values'],
        rows: [
          ['0', "'k'", '1'],
          ['1', '{ o: 1 }', "'v'"],
        ],
      },
      {
        columns: ['(iteration index)', 'Values'],
        rows: [
          ['0', '1'],
          ['1', "'two'"],
        ],
      },
      {
        columns: ['(index)', 'x', 'y', 'z'],
        rows: [
          ['r1', '1', '', ''],
          ['r2', '', '{ deep: [Object] }', '[Object]'],
        ],
      },
      {
        columns: ['(index)', 'a', 'z'],
        rows: [
          ['0', '1', ''],
          ['1', '2', ''],
        ],
      },
      undefined,
      { columns: ['(index)', 'name', 'n'], rows: [['0', "'中文'", '1']] },
    ]);
    expect(messages(r)[4]).toBe('plain');
    // Wide characters take two columns, as in Node.
    expect(messages(r)[5]?.split('\n')[3]).toBe("│ 0       │ '中文' │ 1 │");
  });

  it('refuses columns that are not an array, as Node does', async () => {
    const r = await run("console.table([{ a: 1 }], 'a')");
    expect(r).toMatchObject({ status: 'error', error: { name: 'TypeError' } });
  });

  it('groups: the depth of each line beside an unindented message', async () => {
    const code = [
      "console.group('G');",
      "console.log('in');",
      'console.groupCollapsed();',
      "console.info('deeper');",
      'console.groupEnd();',
      'console.groupEnd();',
      'console.groupEnd();',
      "console.log('out');",
    ].join('\n');
    const r = await run(code);
    expect(r.logs.map((l) => [l.message, l.depth])).toEqual([
      ['G', undefined],
      ['in', 1],
      ['deeper', 2],
      ['out', undefined],
    ]);
  });

  it('times, counts and asserts like Node, warning about unknown labels', async () => {
    const code = [
      "console.time('t');",
      'await new Promise((r) => setTimeout(r, 20));',
      "console.timeLog('t', 'so far', { n: 1 });",
      "console.timeEnd('t');",
      "console.timeEnd('t');",
      'console.time(); console.time();',
      "console.count(); console.count(); console.count('x'); console.countReset(); console.count(); console.countReset('nope');",
      "console.assert(false, 'msg %s', 'arg'); console.assert(0, { a: 1 }); console.assert(true, 'never');",
    ].join('\n');
    const r = await run(code);
    const lines = r.logs.map((l) => `${l.level} ${l.message}`);
    expect(lines[0]).toMatch(/^log t: \d+(\.\d+)?ms so far \{ n: 1 \}$/);
    expect(Number(/t: (\d+)/.exec(lines[0] ?? '')?.[1])).toBeGreaterThanOrEqual(15);
    expect(lines[1]).toMatch(/^log t: \d+(\.\d+)?ms$/);
    expect(lines.slice(2)).toEqual([
      "warn Warning: No such label 't' for console.timeEnd()",
      "warn Warning: Label 'default' already exists for console.time()",
      'log default: 1',
      'log default: 2',
      'log x: 1',
      'log default: 1',
      "warn Warning: Count for 'nope' does not exist",
      'warn Assertion failed: msg arg',
      'warn Assertion failed { a: 1 }',
    ]);
    expect(r.logs[0]?.values).toEqual([
      { kind: 'object', label: 'Object', entries: [{ key: 'n', value: { kind: 'primitive', text: '1' } }] },
    ]);
  });

  it('dir takes a depth, and every method works unbound', async () => {
    const code = [
      'console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });',
      "console.dir('str');",
      'const { log, table, count } = console;',
      "log('unbound'); [1].forEach(count); table([[1]]);",
      'console.profile(); console.profileEnd(); console.timeStamp(); console.clear();',
      '[console.log.name, console.table.name, typeof console.groupCollapsed]',
    ].join('\n');
    const r = await run(code);
    expect(messages(r).slice(0, 4)).toEqual(['{ a: [Object] }', "'str'", 'unbound', '1: 1']);
    expect(r.logs[4]?.table).toEqual({ columns: ['(index)', '0'], rows: [['0', '1']] });
    expect(r.value).toEqual(['log', 'table', 'function']);
  });
});

describe('promises', () => {
  it('shows the state a promise had when it was logged', async () => {
    const code = [
      'let resolve;',
      'const later = new Promise((r) => { resolve = r; });',
      'const rejected = Promise.reject(new Error("no")); rejected.catch(() => {});',
      'console.log(Promise.resolve(1), later, Promise.reject(2).catch(() => 3));',
      "resolve('now');",
      'console.log(later, [Promise.resolve({ a: [1, 2] })], rejected);',
      'const pending = new Promise((r) => setTimeout(r, 5, "done"));',
      'console.log(pending);',
      'await pending;',
      'console.log(pending);',
    ].join('\n');
    const r = await run(code);
    expect(messages(r)).toEqual([
      'Promise { 1 } Promise { <pending> } Promise { <pending> }',
      "Promise { 'now' } [ Promise { { a: [Array] } } ] Promise {\n  <rejected> Error: no\n      at acorn.js:3:33\n}",
      'Promise { <pending> }',
      "Promise { 'done' }",
    ]);
    expect(r.logs[1]?.values?.[1]).toEqual({
      kind: 'object',
      label: 'Array(1)',
      entries: [
        {
          key: '0',
          value: {
            kind: 'object',
            label: 'Promise',
            entries: [
              {
                value: {
                  kind: 'object',
                  label: 'Object',
                  entries: [
                    {
                      key: 'a',
                      value: {
                        kind: 'object',
                        label: 'Array(2)',
                        entries: [
                          { key: '0', value: { kind: 'primitive', text: '1' } },
                          { key: '1', value: { kind: 'primitive', text: '2' } },
                        ],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      ],
    });
  });

  it('says <unknown> when learning the state would run acorn code, and runs none', async () => {
    const code = [
      'let called = 0;',
      'class Custom extends Promise {}',
      'Object.defineProperty(Promise, Symbol.species, { get() { called++; return Promise; } });',
      'console.log(new Custom(() => {}), Promise.resolve(1));',
      'called',
    ].join('\n');
    const r = await run(code);
    expect(r.value).toBe(0);
    expect(messages(r)).toEqual(['Custom [Promise] { <unknown> } Promise { <unknown> }']);
  });

  it('shows the state of promises inside the result’s preview', async () => {
    const r = await run('({ done: Promise.resolve(1), waiting: new Promise(() => {}) })');
    expect(r.preview).toBe('{ done: Promise { 1 }, waiting: Promise { <pending> } }');
  });
});

describe('values: the logged objects as trees', () => {
  it('comes only for the arguments that are objects, in order', async () => {
    const r = await run("console.log('text', 1, { a: 1 }, [2], null);\nconsole.log('just text', 42);");
    expect(r.logs[0]?.values).toEqual([
      { kind: 'object', label: 'Object', entries: [{ key: 'a', value: { kind: 'primitive', text: '1' } }] },
      { kind: 'object', label: 'Array(1)', entries: [{ key: '0', value: { kind: 'primitive', text: '2' } }] },
    ]);
    expect(r.logs[1]).not.toHaveProperty('values');
  });

  it('labels what it shows like Node, marks circular references, shows getters without calling them', async () => {
    const code = [
      'let called = 0;',
      "const o = { s: 'str', m: new Map([[{ k: 1 }, 'v']]), set: new Set([1]), f() {}, get g() { called++; return 1; } };",
      'o.self = o;',
      'console.log(o);',
      'called',
    ].join('\n');
    const r = await run(code);
    expect(r.value).toBe(0);
    expect(r.logs[0]?.values?.[0]).toEqual({
      kind: 'object',
      label: '<ref *1> Object',
      entries: [
        { key: 's', value: { kind: 'primitive', text: "'str'" } },
        {
          key: 'm',
          value: {
            kind: 'object',
            label: 'Map(1)',
            entries: [{ key: '{ k: 1 }', value: { kind: 'primitive', text: "'v'" } }],
          },
        },
        {
          key: 'set',
          value: { kind: 'object', label: 'Set(1)', entries: [{ value: { kind: 'primitive', text: '1' } }] },
        },
        { key: 'f', value: { kind: 'primitive', text: '[Function: f]' } },
        { key: 'g', value: { kind: 'primitive', text: '[Getter]' } },
        { key: 'self', value: { kind: 'object', label: '[Circular *1]', entries: [], ref: true } },
      ],
    });
  });

  it('goes 6 levels deep, where the text stops at 2', async () => {
    const r = await run('let o = { end: true };\nfor (let i = 0; i < 10; i++) o = { o };\nconsole.log(o);');
    expect(r.logs[0]?.message).toBe('{ o: { o: { o: [Object] } } }');
    let node = r.logs[0]?.values?.[0] as InspectedValue;
    let depth = 0;
    while (node.kind === 'object') {
      node = node.entries[0]?.value as InspectedValue;
      depth++;
    }
    expect(depth).toBe(6);
    expect(node).toEqual({ kind: 'primitive', text: '[Object]' });
  });

  it('keeps at most 100 entries a node and counts the others', async () => {
    const r = await run(
      'console.log(Array.from({ length: 250 }, (_, i) => i), Object.fromEntries(Array.from({ length: 150 }, (_, i) => ["k" + i, i])));',
    );
    const [array, object] = (r.logs[0]?.values ?? []) as Extract<InspectedValue, { kind: 'object' }>[];
    expect(array).toMatchObject({ label: 'Array(250)', more: 150 });
    expect(array?.entries).toHaveLength(100);
    expect(object).toMatchObject({ label: 'Object', more: 50 });
    expect(object?.entries).toHaveLength(100);
  });

  it('stops at 2,000 nodes a run: later entries keep their text only', async () => {
    // With the default 64 KiB cap the JSON of 2,000 nodes does not fit anyway: a roomier runner shows the node cap.
    const roomy = createInProcessRunner({ maxOutputBytes: 1_000_000 });
    try {
      const code =
        "const row = Object.fromEntries(Array.from({ length: 120 }, (_, i) => ['k' + i, i]));\nfor (let i = 0; i < 30; i++) console.log(row);";
      const r = await roomy.run({ owner: 'console', language: 'javascript', code });
      const count = (v: InspectedValue): number =>
        v.kind === 'primitive' ? 1 : 1 + v.entries.reduce((n, e) => n + count(e.value), 0);
      const nodes = r.logs.reduce((n, l) => n + (l.values ?? []).reduce((m, v) => m + count(v), 0), 0);
      expect(nodes).toBe(2000);
      expect(r.logs).toHaveLength(30);
      // 19 rows of 101 nodes (100 entries, 20 more), then one cut short at 81 nodes, then none.
      expect(r.logs.filter((l) => l.values)).toHaveLength(20);
      expect(r.logs[18]?.values?.[0]).toMatchObject({ more: 20 });
      expect(r.logs[19]?.values?.[0]).toMatchObject({ more: 40 });
      expect(r.logs.at(-1)?.values).toBeUndefined();
      expect(r.logs.at(-1)?.message).toMatch(/^\{\n {2}k0: 0,/);
    } finally {
      roomy.close();
    }
  });

  it('keeps the structure of a run within the output cap, and the text within its own', async () => {
    const r = await run(
      "const big = { s: 'x'.repeat(900), t: 'y'.repeat(900) };\nfor (let i = 0; i < 200; i++) console.log(big);",
    );
    const structure = r.logs.reduce((n, l) => n + (l.values ? JSON.stringify(l.values).length : 0), 0);
    expect(structure).toBeLessThanOrEqual(65_536);
    expect(r.logs.filter((l) => l.values).length).toBeGreaterThan(10);
    expect(r.logs.reduce((n, l) => n + l.message.length, 0)).toBeLessThanOrEqual(65_536);
    expect(r.truncated.logs).toBe(true);
  });
});

describe('an acorn cannot make the console run its code', () => {
  it('shows what cannot be inspected instead of throwing from console.log', async () => {
    const code = [
      'const r = Proxy.revocable({}, {});',
      'r.revoke();',
      "const trap = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });",
      "console.log('before', r.proxy, [trap], 'after');",
      "'went on'",
    ].join('\n');
    const r = await run(code);
    expect(r.value).toBe('went on');
    expect(messages(r)).toEqual(['before <Revoked Proxy> [ [Uninspectable] ] after']);
    expect(r.logs[0]?.values?.[0]).toEqual({ kind: 'primitive', text: '<Revoked Proxy>' });
  });

  it('looks at values without getters, setters, iterators or replaced built-ins of the acorn’s', async () => {
    const code = [
      // The values first: building a Map or an array literal with a spread runs the iterator the acorn replaces.
      "const values = { a: [1, , 3], m: new Map([[1, { b: 2 }]]), p: Promise.resolve(1), e: new Error('e'), d: new Date(0) };",
      'const rows = [{ a: 1 }, { b: [2] }];',
      'const set = new Set([4]);',
      'let hits = 0;',
      'const hit = () => { hits++; };',
      "for (const key of ['length', '0', '1', 'key', 'value', 'get', 'set', 'label', 'entries', 'more', 'ref', 'kind', 'text', 'depth', 'slots', 'known', 'state', 'seen', 'node', 'open', 'level', 'checked', 'toJSON', 'then', 'constructor']) {",
      '  Object.defineProperty(Object.prototype, key, { __proto__: null, get: hit, set: hit, configurable: true });',
      '}',
      'const iterator = Array.prototype[Symbol.iterator];',
      'Array.prototype[Symbol.iterator] = function () { hit(); return iterator.call(this); };',
      'for (const s of [Symbol.split, Symbol.replace, Symbol.match]) String.prototype[s] = hit;',
      'Number.prototype.toFixed = Number.prototype.toString = hit;',
      'Promise.prototype.then = hit;',
      'Object.defineProperty(Promise, Symbol.species, { __proto__: null, get() { hit(); return Promise; } });',
      'JSON.stringify = hit;',
      'const before = hits;',
      'console.log(values);',
      'console.table(rows);',
      "console.group('g'); console.time(); console.timeEnd(); console.count(); console.assert(false, 'x', 1); console.groupEnd();",
      "console.log('%s %d %o %O', { s: 1 }, 2, [3], set);",
      'console.trace(values.e);',
      'hits - before',
    ].join('\n');
    const r = await run(code);
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(r.value).toBe(0);
    expect(r.logs.length).toBe(8);
    // Nor can the pollution change the text.
    expect(r.logs[0]?.message).toMatch(
      /^\{\n {2}a: \[ 1, <1 empty item>, 3 \],\n {2}m: Map\(1\) \{ 1 => \{ b: 2 \} \},\n {2}p: Promise \{ <unknown> \},\n {2}e: Error: e\n/,
    );
  });
});
