import { describe, expect, it } from 'vitest';
import { prepareAcorn } from './prepare.ts';

const prepared = async (language: 'javascript' | 'typescript', code: string) => {
  const result = await prepareAcorn(language, code);
  if (!result.ok) throw new Error(result.error.message);
  return result.acorn;
};

describe('prepareAcorn', () => {
  it('returns the last expression of a script and keeps every line where it was', async () => {
    const acorn = await prepared('javascript', 'const a = 1;\na + 1;\nfunction f() {}');
    expect(acorn.isModule).toBe(false);
    expect(acorn.source.split('\n')).toEqual([
      '(async function () {',
      'const a = 1;',
      'return (a + 1);',
      'function f() {}',
      '})',
    ]);
    expect(acorn.shift).toEqual({ line: 2, column: 1, width: 8 });
  });

  it('overwrites export syntax with text of the same length', async () => {
    const code = 'export const a = 1;\nexport default (i) => i;';
    const body = (await prepared('javascript', code)).source.split('\n').slice(1, 3);
    expect(body).toEqual(['       const a = 1;', '$sqbDefault=   (i) => i;']);
    expect(body.map((line) => line.length)).toEqual(code.split('\n').map((line) => line.length));
  });

  it('keeps the binding of a named default export', async () => {
    expect((await prepared('javascript', 'export default function main() {}')).source).toContain('return main;');
  });

  it('strips types to spaces so columns stay put', async () => {
    const acorn = await prepared('typescript', 'const n: number = 1;\nn');
    expect(acorn.source.split('\n')[1]).toBe('const n         = 1;');
  });

  it('reports syntax errors 1-based', async () => {
    expect(await prepareAcorn('javascript', 'let = = 1')).toMatchObject({
      ok: false,
      error: { name: 'SyntaxError', line: 1, column: 7 },
    });
  });
});
