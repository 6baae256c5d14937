// Builds dist/web-globals.js: core-js's URL, URLSearchParams and structuredClone as one function, `coreJs`, which
// src/web.js calls in an acorn context the first time one of these is used. Built, not fetched:
// core-js is a pinned devDependency. `npm run build -w @squirrelbin/sandbox` (the root build and postinstall run it).
//
// Only the web.* modules are bundled, never core-js's es.* polyfills: v8 has all of ECMAScript already. What they
// pull in was checked to change nothing of v8's built-ins except Function.prototype.toString, which web.js puts back
// (test/web-globals.test.ts holds it to that).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Identifier, type Node, parse } from 'acorn';
import { build, type Plugin } from 'esbuild';

export const WEB_GLOBALS_PATH = fileURLToPath(new URL('../dist/web-globals.js', import.meta.url));
const ENTRY = fileURLToPath(new URL('./web-globals/entry.cjs', import.meta.url));
const GLOBAL_THIS = fileURLToPath(new URL('./web-globals/global-this.cjs', import.meta.url));

/** core-js's own way to the global object, replaced by ours (see web-globals/global-this.cjs). */
const ownGlobal: Plugin = {
  name: 'core-js-global',
  setup(b) {
    b.onResolve({ filter: /[\\/]internals[\\/]global-this(\.js)?$/ }, (args) =>
      args.importer.includes('core-js') ? { path: GLOBAL_THIS } : undefined,
    );
  },
};

/**
 * Web globals that core-js names directly instead of through its global-this module (`var $URLSearchParams =
 * URLSearchParams`, `typeof Deno`): read from its own global object too. Bare, they would reach web.js's lazy globals
 * (URL's would start loading core-js again from inside core-js).
 */
const WEB_NAMES = [
  'URL',
  'URLSearchParams',
  'document',
  'Deno',
  'Bun',
  'ActiveXObject',
  'DOMQuad',
  'File',
  'ImageData',
];
/** The free names the bundle may use besides those: ECMAScript's own globals. */
const ECMASCRIPT = new Set([
  'Array',
  'ArrayBuffer',
  'Error',
  'Function',
  'Map',
  'Math',
  'NaN',
  'Object',
  'RangeError',
  'RegExp',
  'Set',
  'String',
  'Symbol',
  'TypeError',
  'arguments',
  'encodeURIComponent',
  'parseInt',
  'undefined',
]);

export async function buildWebGlobals(outfile = WEB_GLOBALS_PATH): Promise<{ bytes: number }> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2023',
    // Whitespace and syntax only: names stay, so that stack frames and function names read as core-js wrote them.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    write: false,
    plugins: [ownGlobal],
    define: Object.fromEntries(WEB_NAMES.map((name) => [name, `__coreJsGlobal.${name}`])),
    // A function, compiled with bootstrap.js as one script (an argument there) and called only when an acorn needs
    // core-js. Not parenthesised: v8 compiles parenthesised functions eagerly, into every isolate's compile.
    banner: {
      js: "function coreJs() {\n'use strict';\nvar __coreJsGlobal;\nvar module = { exports: {} };\nvar exports = module.exports;",
    },
    footer: { js: 'return module.exports.load;\n}' },
    logLevel: 'warning',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no output');
  const unexpected = freeNames(file.text).filter((name) => !ECMASCRIPT.has(name) && name !== '__coreJsGlobal');
  if (unexpected.length > 0) {
    throw new Error(
      `core-js now names globals web.js does not hide from it: ${unexpected.join(', ')} (add them to WEB_NAMES)`,
    );
  }
  const text = `// core-js ${coreJsVersion()} (MIT), bundled by scripts/build-web-globals.ts: do not edit.\n${file.text}`;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, text);
  return { bytes: text.length };
}

/** Identifiers the script reads without declaring them anywhere (a coarse check: any declaration of a name counts). */
function freeNames(source: string): string[] {
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: unknown, parent?: Node, key?: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, parent, key);
      return;
    }
    const n = node as Node & Record<string, unknown>;
    if (typeof n.type !== 'string') return;
    if (n.type === 'Identifier') {
      const name = (n as unknown as Identifier).name;
      const p = parent as (Node & { computed?: boolean; shorthand?: boolean }) | undefined;
      const isKey =
        (p?.type === 'MemberExpression' && key === 'property' && !p.computed) ||
        ((p?.type === 'Property' || p?.type === 'MethodDefinition') && key === 'key' && !p.computed);
      const isDeclaration =
        (p?.type === 'VariableDeclarator' && key === 'id') ||
        ((p?.type === 'FunctionDeclaration' || p?.type === 'FunctionExpression') &&
          (key === 'id' || key === 'params')) ||
        (p?.type === 'ArrowFunctionExpression' && key === 'params') ||
        (p?.type === 'CatchClause' && key === 'param') ||
        ((p?.type === 'AssignmentPattern' || p?.type === 'RestElement') && (key === 'left' || key === 'argument'));
      if (isDeclaration) declared.add(name);
      else if (!isKey) used.add(name);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'type') visit(v, n, k);
  };
  visit(parse(source, { ecmaVersion: 'latest', sourceType: 'script' }));
  return [...used].filter((name) => !declared.has(name)).sort();
}

function coreJsVersion(): string {
  return (createRequire(import.meta.url)('core-js/package.json') as { version: string }).version;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bytes } = await buildWebGlobals();
  console.log(`built ${WEB_GLOBALS_PATH} (${Math.round(bytes / 1024)} KiB)`);
}
