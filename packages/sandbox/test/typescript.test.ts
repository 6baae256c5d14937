// TypeScript acorns: Node's own `stripTypeScriptTypes` strips types where that is enough (positions kept exactly),
// and transforms what stripping cannot erase (enum, namespace, parameter properties), mapping every position of
// thrown errors, logged errors and compile errors back through the source map. amaro the package is gone.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { type RunResult, RunResult as RunResultSchema } from '@squirrelbin/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { createInProcessRunner } from '../src/index.ts';
import { prepareAcorn } from '../src/prepare.ts';
import { SourceMap } from '../src/source-map.ts';
import { snippetPosition, stripInProcess } from '../src/strip.ts';

const runner = createInProcessRunner({ defaults: { timeoutMs: 2000 } });
afterAll(() => runner.close());

async function ts(code: string, input?: unknown): Promise<RunResult> {
  const result = await runner.run({ owner: 'typescript', language: 'typescript', code, input });
  expect(RunResultSchema.safeParse(result).success).toBe(true);
  return result;
}

describe('TypeScript that stripping cannot erase', () => {
  it('runs enums, const enums and their reverse mapping', async () => {
    const code = [
      'enum Color { Red, Green = 5, Blue }',
      "const enum Size { S = 's', L = 'l' }",
      'declare enum Ambient { X }',
      '[Color.Blue, Color[5], Size.L]',
    ].join('\n');
    expect(await ts(code)).toMatchObject({ status: 'ok', value: [6, 'Green', 'l'] });
  });

  it('reports a throw below an enum at its own line and column', async () => {
    const code = [
      'enum Color { Red, Green }',
      'const pick = (c: Color): string => Color[c];',
      'function check(n: number): void {',
      '    if (n > 1) throw new RangeError("too big: " + pick(n));',
      '}',
      'check(1);',
      'check(2);',
    ].join('\n');
    const r = await ts(code);
    expect(r.error).toMatchObject({ name: 'RangeError', message: 'too big: undefined', line: 4, column: 22 });
    expect(r.error?.stack).toBe('RangeError: too big: undefined\n    at check (acorn.ts:4:22)\n    at acorn.ts:7:1');
  });

  it('runs constructor parameter properties and maps errors in the class', async () => {
    const code = [
      'class Account {',
      '  constructor(public readonly owner: string, private balance: number = 0) {}',
      '  withdraw(amount: number): number {',
      '    if (amount > this.balance) throw new Error(this.owner + " has only " + this.balance);',
      '    return (this.balance -= amount);',
      '  }',
      '}',
      "const account = new Account('ann', 10);",
      'account.withdraw(3);',
      'account.withdraw(30);',
    ].join('\n');
    const r = await ts(code);
    expect(r.error).toMatchObject({ message: 'ann has only 7', line: 4, column: 38 });
    expect(r.error?.stack).toContain('at Account.withdraw (acorn.ts:4:38)\n    at acorn.ts:10:9');
    expect(
      await ts(
        'class P { constructor(public x: number, protected y = 2) {} }\nconst p = new P(40);\np.x + (p as any).y',
      ),
    ).toMatchObject({ value: 42 });
  });

  it('runs namespaces, with the completion value after the `var` their transform appends', async () => {
    const code = [
      'namespace Geometry {',
      '  export const unit = 2;',
      '  export function area(side: number): number {',
      '    if (side < 0) throw new TypeError("negative side");',
      '    return side * side * unit;',
      '  }',
      '}',
      'Geometry.area(3)',
    ].join('\n');
    expect(await ts(code)).toMatchObject({ status: 'ok', value: 18, preview: '18' });
    const r = await ts(code.replace('area(3)', 'area(-1)'));
    expect(r.error).toMatchObject({ name: 'TypeError', line: 4, column: 25 });
  });

  it('maps an error in the last expression (after `return (` was inserted into transformed code)', async () => {
    const r = await ts('enum E { A }\nlet y: any = E.A;\n  y.prop.deeper');
    expect(r.error).toMatchObject({ name: 'TypeError', line: 3, column: 10 });
  });

  it('calls a transformed module’s default export with the input', async () => {
    const code = [
      'export enum Offset { Base = 3 }',
      'export default function (input: { n: number }): number {',
      '  if (input.n < 0) throw new Error("negative");',
      '  return input.n + Offset.Base;',
      '}',
    ].join('\n');
    expect(await ts(code, { n: 39 })).toMatchObject({ status: 'ok', value: 42 });
    expect((await ts(code, { n: -1 })).error).toMatchObject({ message: 'negative', line: 3, column: 26 });
  });

  it('places compile errors in the source, transformed or not', async () => {
    expect((await ts('enum E { A }\nconst x: number = ;')).error).toMatchObject({
      name: 'SyntaxError',
      message: 'Expression expected',
      line: 2,
      column: 19,
    });
    // Columns count UTF-16 code units, whatever the stripper's snippet drew for tabs and wide characters.
    expect((await ts("const s = '中文';\tlet a: = 2;")).error).toMatchObject({
      name: 'SyntaxError',
      line: 1,
      column: 24,
    });
    // An import refused at run time, in transformed TypeScript: its position in the acorn's source.
    const refused = (await ts('enum E { A }\nimport fs from "fs";\nexport default 1')).error;
    expect(refused).toMatchObject({ line: 2, column: 1 });
    expect(refused?.message).toContain('Cannot import "fs" (line 2, column 1)');
    // What even transforming refuses is a TypeScriptError at its position.
    expect((await ts('const a = 1;\nmodule M { export const x = 1 }')).error).toMatchObject({
      name: 'TypeScriptError',
      message: '`module` keyword is not supported. Use `namespace` instead.',
      line: 2,
      column: 1,
    });
  });

  it('only strips when stripping is enough: the code keeps every column', async () => {
    const prepared = await prepareAcorn(
      'typescript',
      'let q: number = 1 as const;\nabstract class A { abstract m(): void }\nq',
      {
        strip: stripInProcess,
      },
    );
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(prepared.acorn.map).toBeUndefined();
    expect(prepared.acorn.source.split('\n').slice(1, 3)).toEqual([
      'let q         = 1         ;',
      '         class A {                    }',
    ]);
  });
});

describe('the pieces', () => {
  it('decodes a source map and finds the segment a position falls in', () => {
    // Generated line 1 maps column 0 → (0, 0) and column 4 → (0, 6); line 2 column 2 → (2, 4); line 3 is empty.
    const map = new SourceMap('AAAA,IAAM;EAEF;');
    expect(map.original(1, 1)).toEqual({ line: 1, column: 1 });
    expect(map.original(1, 5)).toEqual({ line: 1, column: 7 });
    expect(map.original(1, 9)).toEqual({ line: 1, column: 11 }); // 4 columns into the segment
    expect(map.original(2, 1)).toEqual({ line: 3, column: 5 }); // before the line's first segment
    expect(map.original(3, 7)).toEqual({ line: 3, column: 5 }); // a line without segments: the end of the last one
  });

  it('reads the column of a stripper error back from its snippet', () => {
    const failure = (stack: string) => ({ code: 'ERR_INVALID_TYPESCRIPT_SYNTAX', message: 'Bad', stack });
    const code = 'ok();\n\tlet  b: = 3;';
    const stack =
      ':2\nok();\n    let  b: = 3;\n            ^\n\nSyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: Bad\n    at x';
    expect(snippetPosition(failure(stack), code)).toEqual({ line: 2, column: 10 });
    // A span over several lines has no carets: the line's first non-blank character.
    const multi = ':1\n  >   enum A {\n  > }\n\nSyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: Bad\n    at x';
    expect(snippetPosition(failure(multi), '  enum A {\n}')).toEqual({ line: 1, column: 3 });
    expect(snippetPosition(failure('no position here'), code)).toBeUndefined();
  });

  it('silences Node’s ExperimentalWarning for stripTypeScriptTypes, and only that', () => {
    const script = [
      "import { stripTypeScript } from './src/ts-strip.js';",
      "process.emitWarning('kept', 'ExperimentalWarning');",
      "const out = stripTypeScript('enum A { B }\\nconst n: number = A.B;');",
      'console.log(JSON.stringify(out.transformed));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(child.stdout.trim()).toBe('true');
    expect(child.stderr).toContain('ExperimentalWarning: kept');
    expect(child.stderr).not.toContain('stripTypeScriptTypes');
  });

  it('no longer depends on amaro', () => {
    const root = new URL('..', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, object>;
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })).not.toContain('amaro');
    for (const file of readdirSync(new URL('src/', root))) {
      expect(readFileSync(new URL(`src/${file}`, root), 'utf8'), file).not.toMatch(
        /from ['"]amaro['"]|import\(['"]amaro/,
      );
    }
  });
});
