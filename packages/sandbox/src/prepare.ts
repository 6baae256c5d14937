// Turns an acorn's source into one async function expression the isolate can run, keeping the acorn's own line
// and column numbers: TypeScript is type-stripped (types become spaces), and the wrapper's opening sits on a line
// of its own that the compiler is told to count as line 0.
import type { RunError } from '@squirrelbin/schemas';
import { type ExpressionStatement, type Node, type Program, parse } from 'acorn';
import amaro from 'amaro';

export type Language = 'javascript' | 'typescript';

export interface PreparedAcorn {
  /** `(async function () {…})`, to be compiled with `lineOffset: -1`. */
  source: string;
  filename: string;
  /** A module's default export is called with the input; a script's completion value is the result. */
  isModule: boolean;
  /** Where `return (` was inserted in front of the script's last expression, to map columns back. */
  shift?: { line: number; column: number; width: number };
}

export type Preparation = { ok: true; acorn: PreparedAcorn } | { ok: false; error: RunError };

const RETURN = 'return (';
const DEFAULT_SLOT = '$sqbDefault';

export function prepareAcorn(language: Language, code: string): Preparation {
  const filename = language === 'typescript' ? 'acorn.ts' : 'acorn.js';
  let js = code;
  if (language === 'typescript') {
    try {
      js = amaro.transformSync(code, { mode: 'strip-only' }).code;
    } catch (e) {
      return { ok: false, error: typeScriptError(e, filename) };
    }
  }
  const script = tryParse(js, 'script');
  if (script.ok) return { ok: true, acorn: asScript(js, script.program, filename) };
  const module = tryParse(js, 'module');
  if (!module.ok) return { ok: false, error: script.error };
  return asModule(js, module.program, filename);
}

type Parsed = { ok: true; program: Program } | { ok: false; error: RunError };

function tryParse(js: string, sourceType: 'script' | 'module'): Parsed {
  try {
    const program = parse(js, {
      ecmaVersion: 'latest',
      sourceType,
      locations: true,
      // So that a parenthesised last expression or default export starts at its parenthesis.
      preserveParens: true,
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: sourceType === 'script',
    });
    return { ok: true, program };
  } catch (e) {
    const err = e as SyntaxError & { loc?: { line: number; column: number } };
    const line = err.loc?.line ?? 1;
    const column = (err.loc?.column ?? 0) + 1;
    const message = err.message.replace(/ \(\d+:\d+\)$/, '');
    return { ok: false, error: compileError('SyntaxError', message, line, column) };
  }
}

function typeScriptError(e: unknown, filename: string): RunError {
  const err = e as { code?: string; message?: string; startLine?: number; startColumn?: number };
  const line = err.startLine ?? 1;
  const column = (err.startColumn ?? 0) + 1;
  if (err.code === 'UnsupportedSyntax') {
    const message = `${err.message}: acorns are type-stripped, so only erasable TypeScript works (use a union type or a plain object instead of an enum or namespace)`;
    return compileError('TypeScriptError', message, line, column, filename);
  }
  return compileError('SyntaxError', err.message ?? String(e), line, column, filename);
}

function compileError(name: string, message: string, line: number, column: number, filename = 'acorn'): RunError {
  return { name, message, stack: `${name}: ${message}\n    at ${filename}:${line}:${column}`, line, column };
}

/** The completion value of a script is its last expression statement when nothing but function declarations follow. */
function asScript(js: string, program: Program, filename: string): PreparedAcorn {
  const wrap = (body: string, shift?: PreparedAcorn['shift']): PreparedAcorn => ({
    source: `(async function () {\n${body}\n})`,
    filename,
    isModule: false,
    ...(shift ? { shift } : {}),
  });
  const last = [...program.body]
    .reverse()
    .find((node) => node.type !== 'FunctionDeclaration' && node.type !== 'EmptyStatement');
  if (last?.type !== 'ExpressionStatement') return wrap(js);
  const expression = (last as ExpressionStatement).expression;
  const body = `${js.slice(0, expression.start)}${RETURN}${js.slice(expression.start, expression.end)})${js.slice(expression.end)}`;
  const at = expression.loc?.start ?? { line: 1, column: 0 };
  return wrap(body, { line: at.line, column: at.column + 1, width: RETURN.length });
}

/**
 * A module keeps its positions by overwriting `export` syntax with same-length text: `export default x` becomes
 * `$sqbDefault =  x`, other `export` keywords become spaces. Imports have nothing to import, so they are an error.
 */
function asModule(js: string, program: Program, filename: string): Preparation {
  let out = js;
  let defaultName = DEFAULT_SLOT;
  const blank = (from: number, to: number, prefix = '') => {
    const middle = out.slice(from + prefix.length, to).replace(/[^\n]/g, ' ');
    out = `${out.slice(0, from)}${prefix}${middle}${out.slice(to)}`;
  };
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      const at = node.loc?.start ?? { line: 1, column: 0 };
      const message = 'Cannot use import: acorns run alone and have no modules to import';
      return { ok: false, error: compileError('SyntaxError', message, at.line, at.column + 1, filename) };
    }
    if (node.type === 'ExportDefaultDeclaration') {
      const declaration = node.declaration as Node & { id?: { name: string } | null };
      const named =
        (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
      // Up to the end of the `default` keyword only: a parenthesised expression starts before `declaration.start`.
      const keywordEnd = js.indexOf('default', node.start) + 'default'.length;
      if (named) {
        defaultName = declaration.id?.name ?? DEFAULT_SLOT;
        blank(node.start, keywordEnd);
      } else {
        blank(node.start, keywordEnd, `${DEFAULT_SLOT}=`);
      }
    } else if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
      if (node.type === 'ExportNamedDeclaration' && node.declaration) blank(node.start, node.start + 'export'.length);
      else blank(node.start, node.end);
    }
  }
  return {
    ok: true,
    acorn: {
      source: `(async function () { 'use strict'; let ${DEFAULT_SLOT};\n${out}\n;return ${defaultName};})`,
      filename,
      isModule: true,
    },
  };
}
