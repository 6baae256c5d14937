// Turns an acorn's source into one async function expression the isolate can run, keeping the acorn's own line
// and column numbers: TypeScript is type-stripped (types become spaces) or, when it needs code generated (enum,
// namespace, parameter properties), transformed with a source map that gives positions back; the wrapper's opening
// sits on a line of its own that the compiler is told to count as line 0. Every edit is placed by acorn's positions
// (AST nodes and tokens, never a text search), and a module's wrapper is parsed again to prove the acorn stayed
// inside it.
import type { RunError } from '@squirrelbin/schemas';
import {
  type ExpressionStatement,
  type Node,
  type ParenthesizedExpression,
  type Program,
  parse,
  tokenizer,
  type VariableDeclaration,
} from 'acorn';
import type { Position, SourceMap } from './source-map.ts';
import { type Strip, type StripError, stripOnThread } from './strip.ts';

export type Language = 'javascript' | 'typescript';

export interface PreparedAcorn {
  /** `(async function () {…})`, to be compiled with `lineOffset: -1`. */
  source: string;
  filename: string;
  /** A module's default export is called with the input; a script's completion value is the result. */
  isModule: boolean;
  /** Where `return (` was inserted in front of the script's last expression, to map columns back. */
  shift?: { line: number; column: number; width: number };
  /** TypeScript that was transformed, not just stripped: positions in `source` back to the acorn's. */
  map?: SourceMap;
  /**
   * Set when the acorn imports: then `source` takes two parameters, `$sqbS` (static import k → a promise of its
   * namespace, awaited in a prologue on line 0 before the body) and `$sqbD` (dynamic site k → the function that
   * replaced that `import(`), and bootstrap.js links them from the host's table (imports.ts).
   */
  imports?: { statics: ImportSite[]; dynamics: ImportSite[] };
}

/** One `import` (declaration, `export … from`, or `import()` call) of an acorn. */
export interface ImportSite {
  /** The specifier; null for an `import()` whose argument is not a string literal. */
  specifier: string | null;
  /** The export names a static import reads (`default` for a default import); empty for `* as ns` and bare ones. */
  names: string[];
  /** 1-based line and column of the `import`/`export` keyword in the code v8 compiles (as its stack frames say). */
  line: number;
  column: number;
}

/** A failed preparation is an `error` run, or a `timeout` one when stripping took the whole deadline. */
export type Preparation = { ok: true; acorn: PreparedAcorn } | { ok: false; error: RunError; status?: 'timeout' };

const RETURN = 'return (';
const DEFAULT_SLOT = '$sqbDefault';
/**
 * The deepest TypeScript acorns may nest brackets. Node's stripper (amaro's parser) recurses: measured here,
 * 1000–1500 levels of `(`, `[`, `{` or `Array<` overflow its stack (a trap that breaks its wasm for good). Real code
 * stays far below; anything deeper is refused with a SyntaxError before the stripper sees it.
 */
export const MAX_TYPESCRIPT_NESTING = 500;

export interface PrepareOptions {
  /** How TypeScript is stripped; default: on this process's stripper thread. */
  strip?: Strip;
  /** Bounds the stripping: the run's deadline. Default 10000. */
  timeoutMs?: number;
  /**
   * `main` (default): the running acorn, a script or a module whose default export is called. `imported`: an acorn
   * another imports, always a module whose wrapper resolves to its exports (`{ ns, stars }`).
   */
  role?: 'main' | 'imported';
  /** What stacks call it: default `acorn.js`/`acorn.ts`; `acorn:{id}@{version}` for an imported acorn. */
  filename?: string;
}

export async function prepareAcorn(
  language: Language,
  code: string,
  { strip = stripOnThread, timeoutMs = 10_000, role = 'main', filename: named }: PrepareOptions = {},
): Promise<Preparation> {
  const deadline = performance.now() + timeoutMs;
  const filename = named ?? (language === 'typescript' ? 'acorn.ts' : 'acorn.js');
  let js = code;
  let map: SourceMap | undefined;
  if (language === 'typescript') {
    const deep = tooDeep(code);
    if (deep !== undefined) {
      const { line, column } = position(code, deep);
      const message = `Brackets nest more than ${MAX_TYPESCRIPT_NESTING} levels deep here, too deep to type-strip`;
      return { ok: false, error: compileError('SyntaxError', message, line, column, filename) };
    }
    const stripped = await strip(code, deadline);
    if ('timedOut' in stripped) {
      const message = `Type-stripping the acorn took its whole ${timeoutMs} ms deadline`;
      return { ok: false, status: 'timeout', error: { name: 'TimeoutError', message, stack: '' } };
    }
    if ('error' in stripped) return { ok: false, error: typeScriptError(stripped.error, filename) };
    js = stripped.js;
    map = stripped.map;
  }
  const prepared = parseAcorn(js, filename, map, role);
  if (prepared.ok && map) prepared.acorn.map = map;
  if (!prepared.ok && map) prepared.error = mapCompileError(prepared.error, map, filename);
  return prepared;
}

function parseAcorn(js: string, filename: string, map: SourceMap | undefined, role: 'main' | 'imported'): Preparation {
  if (role === 'imported') {
    const module = tryParse(js, 'module');
    if (!module.ok) return { ok: false, error: { ...module.error, stack: withFile(module.error, filename) } };
    return asModule(js, module.program, filename, role);
  }
  const script = tryParse(js, 'script');
  if (script.ok) {
    const dynamic = js.includes('import') ? dynamicImports(js, script.program) : undefined;
    const link = dynamic && { js: dynamic.js, statics: [], dynamics: dynamic.sites, prologue: dynamic.prologue };
    return { ok: true, acorn: asScript(dynamic?.js ?? js, script.program, filename, map !== undefined, link) };
  }
  const module = tryParse(js, 'module');
  if (!module.ok) {
    // Code with `import` or `export` in it is a module with a mistake elsewhere: say where the module goes wrong.
    const moduleSyntax = /sourceType: module/.test(script.error.message);
    return { ok: false, error: moduleSyntax ? module.error : script.error };
  }
  return asModule(js, module.program, filename, role);
}

const withFile = (error: RunError, filename: string) =>
  `${error.name}: ${error.message}\n    at ${filename}:${error.line ?? 1}:${error.column ?? 1}`;

// ---- imports ------------------------------------------------------------------------------------------------------

/** Each `import(` becomes one of these, as long as `import`: `$sqb` and two base-36 digits. */
const MAX_DYNAMIC_SITES = 36 * 36;
const siteName = (k: number) => `$sqb${k.toString(36).padStart(2, '0')}`;

type AnyNode = Node & Record<string, unknown>;

/** Every `import(…)` call in the program, in source order. */
function importExpressions(program: Program): AnyNode[] {
  const found: AnyNode[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object' || typeof (value as AnyNode).type !== 'string') return;
    const node = value as AnyNode;
    if (node.type === 'ImportExpression') found.push(node);
    for (const key in node) if (key !== 'loc') visit(node[key]);
  };
  visit(program);
  return found.sort((a, b) => a.start - b.start);
}

function literalSpecifier(node: unknown): string | null {
  const n = node as AnyNode | undefined;
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral' && (n.expressions as unknown[]).length === 0) {
    const cooked = (n.quasis as { value: { cooked?: string | null } }[])[0]?.value.cooked;
    return typeof cooked === 'string' ? cooked : null;
  }
  if (n?.type === 'ParenthesizedExpression') return literalSpecifier(n.expression);
  return null;
}

/** `import(` → `$sqbNN(`, same length; the sites, and the prologue that defines their functions. */
function dynamicImports(
  js: string,
  program: Program,
): { js: string; sites: ImportSite[]; prologue: string } | undefined {
  const calls = importExpressions(program);
  if (calls.length === 0) return undefined;
  let out = js;
  const sites: ImportSite[] = [];
  calls.forEach((node, k) => {
    const at = node.loc?.start ?? { line: 1, column: 0 };
    // Past the limit the rest keep `import(`, which v8 refuses in a script: a compile error at its position.
    if (k >= MAX_DYNAMIC_SITES) return;
    out = `${out.slice(0, node.start)}${siteName(k)}${out.slice(node.start + 'import'.length)}`;
    sites.push({ specifier: literalSpecifier(node.source), names: [], line: at.line, column: at.column + 1 });
  });
  const prologue = `const ${sites.map((_, k) => `${siteName(k)} = $sqbD(${k})`).join(', ')};`;
  return { js: out, sites, prologue };
}

/** The names a declaration binds: `const { a, b: [c] } = …` → a, c. */
function boundNames(node: unknown, out: string[] = []): string[] {
  const n = node as AnyNode | null;
  if (!n) return out;
  if (n.type === 'Identifier') out.push(n.name as string);
  else if (n.type === 'VariableDeclaration') for (const d of n.declarations as AnyNode[]) boundNames(d.id, out);
  else if (n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') boundNames(n.id, out);
  else if (n.type === 'ObjectPattern') {
    for (const p of n.properties as AnyNode[]) boundNames(p.type === 'RestElement' ? p.argument : p.value, out);
  } else if (n.type === 'ArrayPattern') for (const e of n.elements as AnyNode[]) boundNames(e, out);
  else if (n.type === 'RestElement') boundNames(n.argument, out);
  else if (n.type === 'AssignmentPattern') boundNames(n.left, out);
  return out;
}

const nameOf = (node: AnyNode): string => (node.type === 'Identifier' ? (node.name as string) : String(node.value));
const key = (name: string) => `[${JSON.stringify(name)}]`;

/** Where a position in the acorn's JavaScript ends up once `return (` is put in front of the last expression. */
function shifted(site: ImportSite, shift: PreparedAcorn['shift']): ImportSite {
  if (!shift || site.line !== shift.line || site.column < shift.column) return site;
  return { ...site, column: site.column + shift.width };
}

interface Link {
  statics: ImportSite[];
  dynamics: ImportSite[];
  /** Declarations for line 0: the dynamic sites' functions, then each static import awaited and bound. */
  prologue: string;
}

/** A compile error in transformed TypeScript, moved to where its cause is in the acorn's source. */
function mapCompileError(error: RunError, map: SourceMap, filename: string): RunError {
  if (error.line === undefined || error.column === undefined) return error;
  const at = map.original(error.line, error.column);
  return compileError(error.name, error.message, at.line, at.column, filename);
}

/** Where a 1-based position in the code v8 compiled (`source`, from its second line) is in the acorn's source. */
export function sourcePosition(acorn: PreparedAcorn, line: number, column: number): Position {
  const unshifted = unshift(acorn, line, column);
  return acorn.map ? acorn.map.original(line, unshifted) : { line, column: unshifted };
}

function unshift(acorn: PreparedAcorn, line: number, column: number): number {
  const shift = acorn.shift;
  if (!shift || line !== shift.line || column < shift.column) return column;
  return Math.max(shift.column, column - shift.width);
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
      // The wrapper puts the acorn after other text, where a hashbang is a syntax error: say so where it is.
      allowHashBang: false,
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

function typeScriptError(err: StripError, filename: string): RunError {
  const line = err.startLine ?? 1;
  const column = (err.startColumn ?? 0) + 1;
  if (err.code === 'UnsupportedSyntax') {
    // What even transform mode refuses, e.g. `module M {}` (Node says to write `namespace`).
    return compileError('TypeScriptError', err.message, line, column, filename);
  }
  if (err.code === undefined) {
    // The stripper itself broke on this code (and was replaced); nothing says where.
    const message = `The TypeScript stripper failed on this acorn: ${err.message}`;
    return compileError('TypeScriptError', message, line, column, filename);
  }
  return compileError('SyntaxError', err.message, line, column, filename);
}

/**
 * The index at which `code` first nests brackets more than MAX_TYPESCRIPT_NESTING deep, in one pass that skips
 * comments, strings and template text. `(`, `[`, `{` and `${` count until closed; `<` and `=>` count until a `>`
 * or the end of their statement (`;`, `{`, `}`), so that comparisons and callbacks do not add up across a file.
 * Regular expressions are not recognised: a bracket in one only shifts the count by one. Nesting without any of
 * these (`if (a) if (a) …`, `!!!…`) is left to the stripper, whose failures cost only its thread.
 */
function tooDeep(code: string): number | undefined {
  let brackets = 0;
  let angles = 0;
  const substitutions: number[] = []; // the bracket depth inside each open `${`
  // Skips template text from `i`; returns the index of the closing backtick, or of the `{` of a `${`.
  const templateText = (from: number): number => {
    for (let i = from; i < code.length; i++) {
      const c = code[i];
      if (c === '\\') i++;
      else if (c === '`') return i;
      else if (c === '$' && code[i + 1] === '{') {
        substitutions.push(++brackets);
        return i + 1;
      }
    }
    return code.length;
  };
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      i = code.indexOf('\n', i);
      if (i < 0) return undefined;
    } else if (c === '/' && code[i + 1] === '*') {
      i = code.indexOf('*/', i + 2) + 1;
      if (i <= 0) return undefined;
    } else if (c === "'" || c === '"') {
      for (i++; i < code.length && code[i] !== c && code[i] !== '\n'; i++) if (code[i] === '\\') i++;
    } else if (c === '`') {
      i = templateText(i + 1);
    } else if (c === '(' || c === '[' || c === '{') {
      brackets++;
      if (c === '{') angles = 0;
    } else if (c === ')' || c === ']') {
      brackets = Math.max(0, brackets - 1);
    } else if (c === '}') {
      if (substitutions.at(-1) === brackets) {
        substitutions.pop();
        brackets--;
        i = templateText(i + 1);
      } else {
        brackets = Math.max(0, brackets - 1);
      }
      angles = 0;
    } else if (c === '<' || (c === '=' && code[i + 1] === '>')) {
      // `=>` too: arrow functions (and function types) nest without brackets.
      if (c === '=') i++;
      angles++;
    } else if (c === '>') {
      angles = Math.max(0, angles - 1);
    } else if (c === ';') {
      angles = 0;
    }
    if (brackets + angles > MAX_TYPESCRIPT_NESTING) return i;
  }
  return undefined;
}

/** 1-based line and column of an index. */
function position(code: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = code.indexOf('\n'); at >= 0 && at < index; at = code.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function compileError(name: string, message: string, line: number, column: number, filename = 'acorn'): RunError {
  return { name, message, stack: `${name}: ${message}\n    at ${filename}:${line}:${column}`, line, column };
}

/**
 * The completion value of a script is its last expression statement when nothing but function declarations follow
 * (and, in transformed TypeScript, the `var N;` a namespace's transform puts at the end).
 */
function asScript(
  js: string,
  program: Program,
  filename: string,
  transformed: boolean,
  link?: Link & { strict?: boolean },
): PreparedAcorn {
  const wrap = (body: string, shift?: PreparedAcorn['shift']): PreparedAcorn => {
    if (!link)
      return { source: `(async function () {\n${body}\n})`, filename, isModule: false, ...(shift ? { shift } : {}) };
    const strict = link.strict ? `'use strict'; ` : '';
    return {
      source: `(async function ($sqbS, $sqbD) { ${strict}${link.prologue}\n${body}\n})`,
      filename,
      isModule: false,
      ...(shift ? { shift } : {}),
      imports: {
        statics: link.statics.map((site) => shifted(site, shift)),
        dynamics: link.dynamics.map((site) => shifted(site, shift)),
      },
    };
  };
  const hoisted = (node: Node) =>
    transformed &&
    node.type === 'VariableDeclaration' &&
    (node as VariableDeclaration).kind === 'var' &&
    (node as VariableDeclaration).declarations.every((d) => d.init === null || d.init === undefined);
  const last = [...program.body]
    .reverse()
    .find(
      (node) =>
        node.type !== 'FunctionDeclaration' &&
        node.type !== 'EmptyStatement' &&
        node.type !== 'ImportDeclaration' &&
        !hoisted(node),
    );
  if (last?.type !== 'ExpressionStatement') return wrap(js);
  const expression = (last as ExpressionStatement).expression;
  const body = `${js.slice(0, expression.start)}${RETURN}${js.slice(expression.start, expression.end)})${js.slice(expression.end)}`;
  const at = expression.loc?.start ?? { line: 1, column: 0 };
  return wrap(body, { line: at.line, column: at.column + 1, width: RETURN.length });
}

/**
 * A module keeps its positions by overwriting `export` syntax with same-length text: `export default x` becomes
 * `$sqbDefault =  x`, other `export` keywords become spaces. Import declarations (and `export … from`) become spaces
 * too: each is awaited, in order, in a prologue on the wrapper's line 0 (`const $sqbR0 = await $sqbS(0), a =
 * $sqbR0["a"];`), so imports are hoisted and evaluated before the body, as in a module. A main acorn without
 * exports stays a script (its completion value is the result); an imported one resolves to its exports.
 */
function asModule(js: string, program: Program, filename: string, role: 'main' | 'imported'): Preparation {
  let out = js;
  let defaultExpr = DEFAULT_SLOT;
  let hasExports = false;
  let hasDefault = false;
  const statics: ImportSite[] = [];
  const bindings: string[] = [];
  const exported: [string, string][] = []; // exported name → the expression that reads it at the end of the body
  const stars: string[] = [];
  const blank = (from: number, to: number, prefix = '') => {
    const middle = out.slice(from + prefix.length, to).replace(/[^\n]/g, ' ');
    out = `${out.slice(0, from)}${prefix}${middle}${out.slice(to)}`;
  };
  const importFrom = (node: AnyNode, names: string[]): string => {
    const at = node.loc?.start ?? { line: 1, column: 0 };
    const k = statics.length;
    statics.push({ specifier: String((node.source as AnyNode).value), names, line: at.line, column: at.column + 1 });
    bindings.push(`const $sqbR${k} = await $sqbS(${k});`);
    return `$sqbR${k}`;
  };
  for (const node of program.body as AnyNode[]) {
    if (node.type === 'ImportDeclaration') {
      blank(node.start, node.end);
      const specifiers = node.specifiers as AnyNode[];
      const names = specifiers
        .filter((s) => s.type !== 'ImportNamespaceSpecifier')
        .map((s) => (s.type === 'ImportDefaultSpecifier' ? 'default' : nameOf(s.imported as AnyNode)));
      const ns = importFrom(node, names);
      const locals = specifiers.map((s) => {
        const local = (s.local as AnyNode).name as string;
        if (s.type === 'ImportNamespaceSpecifier') return `${local} = ${ns}`;
        const name = s.type === 'ImportDefaultSpecifier' ? 'default' : nameOf(s.imported as AnyNode);
        return `${local} = ${ns}${key(name)}`;
      });
      if (locals.length > 0) bindings.push(`const ${locals.join(', ')};`);
    } else if (node.type === 'ExportDefaultDeclaration') {
      hasExports = true;
      hasDefault = true;
      const declaration = node.declaration as Node & { id?: { name: string } | null };
      const named =
        (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
      // Up to the end of the `default` keyword only: a parenthesised expression starts before `declaration.start`.
      const keywordEnd = defaultKeywordEnd(js, node.start, declaration.start);
      if (named) {
        defaultExpr = declaration.id?.name ?? DEFAULT_SLOT;
        blank(node.start, keywordEnd);
      } else {
        blank(node.start, keywordEnd, `${DEFAULT_SLOT}=`);
      }
    } else if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
      hasExports = true;
      if (node.type === 'ExportNamedDeclaration' && node.declaration) {
        blank(node.start, node.start + 'export'.length);
        for (const name of boundNames(node.declaration)) exported.push([name, name]);
        continue;
      }
      blank(node.start, node.end);
      if (node.type === 'ExportAllDeclaration') {
        const ns = importFrom(node, []);
        if (node.exported) exported.push([nameOf(node.exported as AnyNode), ns]);
        else stars.push(ns);
        continue;
      }
      const specifiers = node.specifiers as AnyNode[];
      const ns = node.source
        ? importFrom(
            node,
            specifiers.map((s) => nameOf(s.local as AnyNode)),
          )
        : undefined;
      for (const specifier of specifiers) {
        const local = nameOf(specifier.local as AnyNode);
        exported.push([nameOf(specifier.exported as AnyNode), ns ? `${ns}${key(local)}` : local]);
      }
    }
  }
  for (const [name, expr] of exported) {
    if (name === 'default') {
      defaultExpr = expr;
      hasDefault = true;
    }
  }
  const calls = js.includes('import') ? dynamicImports(out, program) : undefined;
  if (calls) out = calls.js;
  const link: Link | undefined =
    statics.length > 0 || calls
      ? { statics, dynamics: calls?.sites ?? [], prologue: `${calls?.prologue ?? ''}${bindings.join(' ')}` }
      : undefined;
  if (role === 'main' && !hasExports) {
    // Imports, no exports: a script that imports. Strict, as a module is; its last expression is the result.
    const acorn = asScript(out, program, filename, false, link && { ...link, strict: true });
    const error = notOneFunction(acorn.source, filename);
    return error ? { ok: false, error } : { ok: true, acorn };
  }
  let result = defaultExpr;
  if (role === 'imported') {
    const entries = exported.filter(([name]) => name !== 'default').map(([name, expr]) => `${key(name)}: ${expr}`);
    if (hasDefault) entries.push(`["default"]: ${defaultExpr}`);
    result = `{ __proto__: null, ns: { __proto__: null, ${entries.join(', ')} }, stars: [${stars.join(', ')}] }`;
  }
  const params = link ? '$sqbS, $sqbD' : '';
  const prologue = link ? ` ${link.prologue}` : '';
  const source = `(async function (${params}) { 'use strict'; let ${DEFAULT_SLOT};${prologue}\n${out}\n;return ${result};})`;
  const error = notOneFunction(source, filename);
  if (error) return { ok: false, error };
  const acorn: PreparedAcorn = { source, filename, isModule: true };
  if (link) acorn.imports = { statics: link.statics, dynamics: link.dynamics };
  return { ok: true, acorn };
}

/** The end of the `default` keyword of an export, from acorn's own tokens: comments before it may say `default`. */
function defaultKeywordEnd(js: string, exportStart: number, declarationStart: number): number {
  for (const token of tokenizer(js.slice(exportStart, declarationStart), {
    ecmaVersion: 'latest',
    sourceType: 'module',
  })) {
    if (token.type.keyword === 'default') return exportStart + token.end;
  }
  throw new Error('an export default without `default`'); // acorn parsed one: unreachable
}

/**
 * Parses a module's wrapper as v8 will, as a script: undefined when it is one function expression and nothing else,
 * else why not. acorn read the code as a module, and the two goals differ: HTML-like comments (`<!--`, `-->`)
 * are comments only in scripts, so a module could hide an opening bracket from v8 and close the wrapper early.
 */
function notOneFunction(source: string, filename: string): RunError | undefined {
  const parsed = tryParse(source, 'script');
  if (!parsed.ok) {
    const { line = 1, column = 1 } = parsed.error;
    const message = parsed.error.message;
    return compileError('SyntaxError', message, Math.max(1, line - 1), column, filename); // the wrapper's line 0
  }
  const [only, ...more] = parsed.program.body;
  const wrapper = only?.type === 'ExpressionStatement' ? (only as ExpressionStatement).expression : undefined;
  const inside =
    wrapper?.type === 'ParenthesizedExpression' ? (wrapper as ParenthesizedExpression).expression : undefined;
  if (more.length === 0 && inside?.type === 'FunctionExpression' && wrapper?.end === source.length) return undefined;
  const message = 'This module means something else as a script (does it use an HTML-like comment, `<!--` or `-->`?)';
  return compileError('SyntaxError', message, 1, 1, filename);
}
