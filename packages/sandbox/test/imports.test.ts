// Imports (issue 13): the curated npm modules and other acorns, in real isolates in real worker processes. Static
// imports in script, `export default` and handler mode, JavaScript and TypeScript; dynamic `import()`; acorn imports
// (current and pinned versions, access, cycles, depth, size, errors reported against the imported acorn); refused
// specifiers; and isolation: what a run does to a module is gone in the next run, of its owner or another.
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type RunRequest, type Sandbox } from '../src/index.ts';
import { type RunOptions, runner } from './helpers.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);

beforeAll(async () => {
  sandbox = createSandbox({ workers: 2 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

const limits = { timeoutMs: 5000 };
const ok = (r: RunResult) => {
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  expect(r.status).toBe('ok');
  return r.value;
};

/** Each module of the set with a typical call and its result: `imports` then `expression`. */
const MODULES: { name: string; imports: string; expression: string; expected: unknown }[] = [
  {
    name: 'zod',
    imports: "import { z } from 'zod';",
    expression: 'z.object({ n: z.number() }).parse({ n: 1 }).n',
    expected: 1,
  },
  {
    name: 'zod (English messages)',
    imports: "import { z } from 'zod';",
    expression: 'z.string().safeParse(1).error.issues[0].message',
    expected: 'Invalid input: expected string, received number',
  },
  { name: 'zod/v4', imports: "import * as z from 'zod/v4';", expression: 'z.number().parse(2)', expected: 2 },
  {
    name: 'lodash-es',
    imports: "import { chunk } from 'lodash-es';",
    expression: 'chunk([1, 2, 3], 2)',
    expected: [[1, 2], [3]],
  },
  { name: 'lodash-es default', imports: "import _ from 'lodash-es';", expression: '_.sum([1, 2, 3])', expected: 6 },
  {
    name: 'lodash-es/chunk',
    imports: "import chunk from 'lodash-es/chunk';",
    expression: 'chunk([1, 2], 1)',
    expected: [[1], [2]],
  },
  {
    name: 'date-fns',
    imports: "import { addDays, format } from 'date-fns';",
    expression: "format(addDays(new Date(2024, 0, 31), 2), 'yyyy-MM-dd')",
    expected: '2024-02-02',
  },
  {
    name: 'date-fns/addDays',
    imports: "import { addDays } from 'date-fns/addDays';",
    expression: 'addDays(new Date(2024, 0, 31), 1).getDate()',
    expected: 1,
  },
  {
    name: 'dayjs',
    imports: "import dayjs from 'dayjs';",
    expression: "dayjs('2024-01-30').add(3, 'day').format('YYYY-MM-DD')",
    expected: '2024-02-02',
  },
  {
    name: 'dayjs/plugin/utc',
    imports: "import dayjs from 'dayjs';\nimport utc from 'dayjs/plugin/utc';",
    expression: "dayjs.extend(utc).utc('2024-01-01T12:00:00Z').hour()",
    expected: 12,
  },
  { name: 'uuid', imports: "import { v4, validate } from 'uuid';", expression: 'validate(v4())', expected: true },
  { name: 'nanoid', imports: "import { nanoid } from 'nanoid';", expression: 'nanoid(10).length', expected: 10 },
  {
    name: 'ramda',
    imports: "import { add, multiply, pipe } from 'ramda';",
    expression: 'pipe(add(1), multiply(2))(3)',
    expected: 8,
  },
  {
    name: 'immer',
    imports: "import { produce } from 'immer';",
    expression: 'produce({ a: 1 }, (d) => { d.a = 2; }).a',
    expected: 2,
  },
  {
    name: 'yaml',
    imports: "import { parse } from 'yaml';",
    expression: "parse('a: 1\\nb: [x, y]')",
    expected: { a: 1, b: ['x', 'y'] },
  },
  {
    name: 'marked',
    imports: "import { marked } from 'marked';",
    expression: "marked.parse('# Hi')",
    expected: '<h1>Hi</h1>\n',
  },
  {
    name: 'papaparse',
    imports: "import Papa from 'papaparse';",
    expression: "Papa.parse('a,b\\n1,2').data",
    expected: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  { name: 'valibot', imports: "import * as v from 'valibot';", expression: 'v.parse(v.number(), 3)', expected: 3 },
  {
    name: 'decimal.js',
    imports: "import Decimal from 'decimal.js';",
    expression: "new Decimal('0.1').plus('0.2').toString()",
    expected: '0.3',
  },
  {
    name: 'change-case',
    imports: "import { camelCase } from 'change-case';",
    expression: "camelCase('hello world')",
    expected: 'helloWorld',
  },
  { name: 'ms', imports: "import ms from 'ms';", expression: "ms('2h')", expected: 7_200_000 },
  {
    name: 'fast-deep-equal',
    imports: "import equal from 'fast-deep-equal';",
    expression: 'equal({ a: [1] }, { a: [1] })',
    expected: true,
  },
];

describe('modules, static import', () => {
  for (const language of ['javascript', 'typescript'] as const) {
    const typed = language === 'typescript' ? 'const unused: number = 0;\n' : '';
    it.each(MODULES)(`$name (${language}, script)`, async ({ imports, expression, expected }) => {
      const r = await run(`${imports}\n${typed}${expression}`, { language, limits });
      expect(ok(r)).toEqual(expected);
    });
    it.each(MODULES)(`$name (${language}, export default)`, async ({ imports, expression, expected }) => {
      const r = await run(`${imports}\n${typed}export default (input) => ${expression};`, { language, limits });
      expect(ok(r)).toEqual(expected);
    });
  }

  it('TypeScript: `import type` vanishes, and types of a module are used', async () => {
    const code =
      "import type { ZodType } from 'zod';\nimport { z } from 'zod';\nconst s: ZodType<number> = z.number();\ns.parse(4)";
    expect(ok(await run(code, { language: 'typescript', limits }))).toBe(4);
  });

  it('side-effect-only imports and namespace imports', async () => {
    const code = "import 'ms';\nimport * as ns from 'ms';\n[typeof ns.default, Object.prototype.toString.call(ns)]";
    expect(ok(await run(code, { limits }))).toEqual(['function', '[object Module]']);
  });

  it('handler mode with an import', async () => {
    const code =
      "import { z } from 'zod';\nexport default (request) => Response.json({ v: z.string().parse(new URL(request.url).pathname) });";
    const r = await run(code, { limits, request: { method: 'GET', url: 'https://h.example/x/a/hello', headers: [] } });
    ok(r);
    expect(JSON.parse(Buffer.from(r.response?.bodyBase64 ?? '', 'base64').toString())).toEqual({ v: '/x/a/hello' });
  });

  it('a missing named export is a SyntaxError at the import', async () => {
    const r = await run("const a = 1;\nimport { nope } from 'zod';\na", { limits });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 2, column: 1 });
    expect(r.error?.message).toContain('"nope"');
  });
});

describe('modules, dynamic import()', () => {
  it.each([
    ["const { z } = await import('zod');\nz.number().parse(5)", 5],
    ["const { chunk } = await import('lodash-es');\nchunk([1, 2], 1)", [[1], [2]]],
    ["const m = await import(`ms`);\nm.default('1s')", 1000],
    [
      "const name = ['date', 'fns'].join('-');\nconst { addDays } = await import(name);\naddDays(new Date(2024, 0, 31), 1).getDate()",
      1,
    ],
    ["const a = await import('zod');\nconst b = await import('zod/v4');\na === b", true],
  ])('%s', async (code, expected) => {
    expect(ok(await run(code, { limits }))).toEqual(expected);
  });

  it('in TypeScript and in export default mode', async () => {
    const code =
      "export default async (input: unknown) => {\n  const { default: ms } = await import('ms');\n  return ms('1m');\n};";
    expect(ok(await run(code, { language: 'typescript', limits }))).toBe(60_000);
  });

  it('an unknown specifier rejects, catchably, naming it and where', async () => {
    const code = "let message;\ntry {\n  await import('left-pad');\n} catch (e) { message = e.message }\nmessage";
    expect(ok(await run(code, { limits }))).toBe(
      'Cannot import "left-pad" (line 3, column 9): it is not one of the modules acorns may import; the modules acorns may import are listed at GET /api/modules',
    );
    const computed = "const n = 'node:' + 'fs';\nconst e = await import(n).catch((e) => e);\ne.message";
    expect(ok(await run(computed, { limits }))).toContain('Cannot import "node:fs" (line 2, column 17)');
  });
});

describe('refused specifiers', () => {
  it.each([
    ["import fs from 'node:fs';", 'node:fs', "Node's built-in modules"],
    ["import { exec } from 'child_process';", 'child_process', "Node's built-in modules"],
    ["import x from './x.js';", './x.js', 'cannot import files'],
    ["import x from 'https://x/y.js';", 'https://x/y.js', 'cannot import URLs'],
    ["import x from 'left-pad';", 'left-pad', 'not one of the modules'],
    ["import x from 'zod/mini';", 'zod/mini', 'not one of the modules'],
  ])('%s', async (line, specifier, reason) => {
    for (const language of ['javascript', 'typescript'] as const) {
      const r = await run(`const a = 1;\n  ${line}\na`, { language, limits });
      expect(r.status).toBe('error');
      expect(r.error).toMatchObject({ line: 2, column: 3 });
      expect(r.error?.message).toContain(`"${specifier}" (line 2, column 3)`);
      expect(r.error?.message).toContain(reason);
      expect(r.error?.message).toContain('GET /api/modules');
    }
  });
});

const id = (name: string) => `${name}`.padEnd(16, '_');
type Acorns = NonNullable<RunRequest['acorns']>;
const acorn = (name: string, code: string, version = 1, language: 'javascript' | 'typescript' = 'javascript') => ({
  id: id(name),
  version,
  language,
  code,
});
const withAcorns = (acorns: Acorns, more: RunOptions = {}): RunOptions => ({ acorns, limits, ...more });

describe('acorn imports', () => {
  it('current and pinned versions', async () => {
    const acorns: Acorns = {
      [`acorn:${id('lib')}`]: acorn('lib', 'export default 3;\nexport const v = "current";', 3),
      [`acorn:${id('lib')}@2`]: acorn('lib', 'export default 2;\nexport const v = "old";', 2),
    };
    const code = `import three, { v } from 'acorn:${id('lib')}';\nimport two, { v as w } from 'acorn:${id('lib')}@2';\n[three, v, two, w]`;
    expect(ok(await run(code, withAcorns(acorns)))).toEqual([3, 'current', 2, 'old']);
  });

  it('export forms: named, let/function/class, renamed, re-exported, star', async () => {
    const acorns: Acorns = {
      [`acorn:${id('forms')}`]: acorn(
        'forms',
        [
          "import { chunk } from 'lodash-es';",
          'export const a = 1, { b } = { b: 2 };',
          'export let c = 3;',
          'export function f() { return chunk([1, 2], 1); }',
          'export class K { static k = 4; }',
          'const local = 5;',
          'export { local as renamed };',
          "export { default as ms } from 'ms';",
          `export * from 'acorn:${id('star')}';`,
          'export default "d";',
        ].join('\n'),
      ),
      [`acorn:${id('star')}`]: acorn('star', 'export const s = "star";\nexport default "not re-exported";'),
    };
    const code = `import * as m from 'acorn:${id('forms')}';\n[Object.keys(m).sort(), m.a, m.b, m.c, m.f(), m.K.k, m.renamed, m.ms('1s'), m.s, m.default]`;
    expect(ok(await run(code, withAcorns(acorns)))).toEqual([
      ['K', 'a', 'b', 'c', 'default', 'f', 'ms', 'renamed', 's'],
      1,
      2,
      3,
      [[1], [2]],
      4,
      5,
      1000,
      'star',
      'd',
    ]);
  });

  it('a TypeScript acorn imported by JavaScript, and dynamically', async () => {
    const acorns: Acorns = {
      [`acorn:${id('ts')}`]: acorn('ts', 'enum E { A = 7 }\nexport const e: number = E.A;', 1, 'typescript'),
    };
    expect(ok(await run(`const { e } = await import('acorn:${id('ts')}');\ne`, withAcorns(acorns)))).toBe(7);
  });

  it('each specifier is evaluated once per run; its console output is in the run logs', async () => {
    const acorns: Acorns = {
      [`acorn:${id('count')}`]: acorn(
        'count',
        "console.log('evaluating');\nexport const n = (globalThis.n = (globalThis.n ?? 0) + 1);",
      ),
      [`acorn:${id('user')}`]: acorn('user', `import { n } from 'acorn:${id('count')}';\nexport const seen = n;`),
    };
    const code = `import { seen } from 'acorn:${id('user')}';\nimport { n } from 'acorn:${id('count')}';\nconst again = await import('acorn:${id('count')}');\n[seen, n, again.n, globalThis.n]`;
    const r = await run(code, withAcorns(acorns));
    expect(ok(r)).toEqual([1, 1, 1, 1]);
    expect(r.logs.map((l) => l.message)).toEqual(['evaluating']);
  });

  const NOT_YOURS = (spec: string) => `${spec} cannot be imported: no such acorn, or not yours`;

  it('an acorn the caller may not read fails exactly like a missing one', async () => {
    const spec = `acorn:${id('secret')}`;
    const readable = await run(`1;\nimport x from '${spec}';\nx`, withAcorns({ [spec]: null }));
    const missing = await run(`1;\nimport x from '${spec}';\nx`, withAcorns({}));
    for (const r of [readable, missing]) {
      expect(r.status).toBe('error');
      expect(r.error?.message).toBe(`${NOT_YOURS(spec)} (line 2, column 1)`);
      expect(r.error).toMatchObject({ line: 2, column: 1 });
      expect(r.error?.source).toBeUndefined();
    }
    expect(readable.error).toEqual(missing.error);
    const dynamic = await run(`(await import('${spec}@4').catch((e) => e)).message`, withAcorns({}));
    expect(ok(dynamic)).toBe(`${NOT_YOURS(`${spec}@4`)} (line 1, column 8)`);
  });

  it('a cycle is an error naming the chain', async () => {
    const a = `acorn:${id('cyc_a')}`;
    const b = `acorn:${id('cyc_b')}`;
    const acorns: Acorns = {
      [a]: acorn('cyc_a', `import { b } from '${b}';\nexport const a = 1;`),
      [b]: acorn('cyc_b', `import { a } from '${a}';\nexport const b = 2;`),
    };
    const r = await run(`import { a } from '${a}';\na`, withAcorns(acorns));
    expect(r.status).toBe('error');
    expect(r.error?.message).toContain(`Import cycle: ${a} → ${b} → ${a}`);
    expect(r.error).toMatchObject({ source: `${b}@1`, line: 1, column: 1 });
  });

  const chain = (length: number): Acorns => {
    const acorns: Acorns = {};
    for (let i = 1; i <= length; i++) {
      const next =
        i < length ? `import { depth as inner } from 'acorn:${id(`d${i + 1}`)}';\nexport const me = inner;\n` : '';
      acorns[`acorn:${id(`d${i}`)}`] = acorn(`d${i}`, `${next}export const depth = ${i};`);
    }
    return acorns;
  };

  it('imports go 8 levels deep, not 9', async () => {
    const code = `import { depth, me } from 'acorn:${id('d1')}';\n[depth, me]`;
    expect(ok(await run(code, withAcorns(chain(8))))).toEqual([1, 2]);
    const r = await run(code, withAcorns(chain(9)));
    expect(r.status).toBe('error');
    expect(r.error?.name).toBe('RangeError');
    expect(r.error?.message).toContain('at most 8 levels deep');
    expect(r.error?.source).toBe(`acorn:${id('d8')}@1`);
  });

  it('imported acorn source is limited to 512 KiB per run', async () => {
    const big = (name: string) => acorn(name, `export const s = ${JSON.stringify('x'.repeat(300 * 1024))}.length;`);
    const acorns: Acorns = { [`acorn:${id('big1')}`]: big('big1'), [`acorn:${id('big2')}`]: big('big2') };
    const one = await run(`import { s } from 'acorn:${id('big1')}';\ns`, withAcorns(acorns));
    expect(ok(one)).toBe(300 * 1024);
    const r = await run(
      `import { s } from 'acorn:${id('big1')}';\nimport { s as t } from 'acorn:${id('big2')}';\ns + t`,
      withAcorns(acorns),
    );
    expect(r.status).toBe('error');
    expect(r.error?.message).toContain('512 KiB');
    expect(r.error).toMatchObject({ line: 2, column: 1 });
  });

  it('an error thrown inside an imported acorn is reported against it', async () => {
    const spec = `acorn:${id('thrower')}`;
    const acorns: Acorns = {
      [spec]: acorn(
        'thrower',
        'type T = number;\nexport function f(): T {\n  throw new TypeError("inside");\n}',
        5,
        'typescript',
      ),
    };
    const r = await run(`import { f } from '${spec}';\nf();`, withAcorns(acorns));
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'TypeError', message: 'inside', line: 3, column: 9, source: `${spec}@5` });
    expect(r.error?.stack).toContain(`${spec}@5:3:9`);
    expect(r.error?.stack).toContain('acorn.js:2:1');
    // At evaluation too, and a syntax error in it.
    const atTop = await run(`import '${spec}';\n1`, withAcorns({ [spec]: acorn('thrower', '\n  null.x;', 5) }));
    expect(atTop.error).toMatchObject({ name: 'TypeError', line: 2, column: 8, source: `${spec}@5` });
    const broken = await run(`import '${spec}';\n1`, withAcorns({ [spec]: acorn('thrower', 'export const = 1;', 5) }));
    expect(broken.error).toMatchObject({ name: 'SyntaxError', line: 1, source: `${spec}@5` });
  });

  it('an imported acorn imports a module; handler mode imports an acorn', async () => {
    const spec = `acorn:${id('uses_zod')}`;
    const acorns: Acorns = {
      [spec]: acorn('uses_zod', "import { z } from 'zod';\nexport const Name = z.string().min(2);"),
    };
    expect(ok(await run(`import { Name } from '${spec}';\nName.parse('Ada')`, withAcorns(acorns)))).toBe('Ada');
    const handler = `import { Name } from '${spec}';\nexport default { fetch: () => Response.json(Name.safeParse('A').success) };`;
    const r = await run(
      handler,
      withAcorns(acorns, { request: { method: 'GET', url: 'https://h.example/', headers: [] } }),
    );
    ok(r);
    expect(Buffer.from(r.response?.bodyBase64 ?? '', 'base64').toString()).toBe('false');
  });
});

describe('isolation', () => {
  it('what a run does to a module or a prototype through one is gone in the next run, of any owner', async () => {
    const pollute = [
      "import _ from 'lodash-es';",
      "import { z } from 'zod';",
      "_.set(Object.prototype, 'polluted', 'yes');",
      "_.chunk = () => 'hacked';",
      "z.ZodString.prototype.parse = () => 'hacked';",
      "Array.prototype.push = () => 'hacked';",
      '({}).polluted',
    ].join('\n');
    const probe = [
      "import _ from 'lodash-es';",
      "import { z } from 'zod';",
      "[({}).polluted ?? null, _.chunk([1, 2], 1), z.string().parse('clean'), [].push(1)]",
    ].join('\n');
    for (let i = 0; i < 3; i++) {
      expect(ok(await run(pollute, { owner: 'polluter', limits }))).toBe('yes');
      for (const owner of ['polluter', 'neighbour']) {
        expect(ok(await run(probe, { owner, limits }))).toEqual([null, [[1], [2]], 'clean', 1]);
      }
    }
  });
});
