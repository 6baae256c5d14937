// Bundles every package of the set into a self-contained classic-script artifact in dist/, plus dist/manifest.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { compileArtifact, createBareContext, globalNames } from './bare-context.ts';
import { type ArtifactInfo, artifactFile, distDir, type Manifest, packageDir, readManifest } from './manifest.ts';
import { moduleSet } from './set.ts';

// Node globals the sandbox lacks. Each is defined to a marker so any use survives minification and is found below;
// only `typeof <global>` (a feature test) is allowed.
const nodeGlobals = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', '__dirname', '__filename'];
const marker = '__squirrelbin_node_global__';
// Each evaluation sees `globalThis` as its own object inheriting from the real one, so what a package stores there
// (zod keeps its config and registry on globalThis) stays private to that instance and creates no global.
const privateGlobal = '__squirrelbin_global';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const builtinFilter = new RegExp(`^(node:.*|(${builtinModules.map(escapeRegExp).join('|')})(/.*)?)$`);

function rejectNodeBuiltins(specifier: string): esbuild.Plugin {
  return {
    name: 'reject-node-builtins',
    setup(build) {
      build.onResolve({ filter: builtinFilter }, (args) => ({
        errors: [{ text: `"${specifier}" needs the Node built-in "${args.path}", which the sandbox does not have` }],
      }));
    },
  };
}

// zod's main entry carries every locale (`z.locales`, ~50 of them, most of its 448 KiB), and each evaluation builds
// them all. Only English is kept (`z.locales.en`; zod's default messages are English either way): the artifact and
// its per-run evaluation shrink by more than half.
const zodEnglishOnly: esbuild.Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

// The entry turns whatever the package is (ESM or CommonJS, via esbuild's interop) into a frozen namespace object:
// named exports plus `default` (the default export, module.exports for CommonJS, else the namespace itself).
const entrySource = (specifier: string) => `import * as m from ${JSON.stringify(specifier)};
const ns = Object.create(null);
for (const key of Object.keys(m)) ns[key] = m[key];
if (!('default' in ns)) ns.default = ns;
Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
export default Object.freeze(ns);
`;

/**
 * Bundles `specifier` (resolved from `resolveDir`) into an artifact: a classic script whose completion value is a
 * function that evaluates the package on each call and returns its namespace, creating no globals.
 * Rejects, naming the package and the import, when the bundle needs a Node built-in or global.
 */
export async function bundle(specifier: string, { resolveDir = packageDir, minify = true } = {}): Promise<string> {
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      stdin: { contents: entrySource(specifier), resolveDir, sourcefile: `entry:${specifier}` },
      absWorkingDir: packageDir,
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__module',
      platform: 'neutral',
      mainFields: ['browser', 'module', 'main'],
      conditions: ['browser', 'module'],
      define: {
        'process.env.NODE_ENV': '"production"',
        globalThis: privateGlobal,
        ...Object.fromEntries(nodeGlobals.map((name) => [name, marker + name])),
      },
      minify,
      logLevel: 'silent',
      plugins: [rejectNodeBuiltins(specifier), zodEnglishOnly],
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!failure.errors) throw error;
    throw new Error(`cannot bundle "${specifier}":\n${failure.errors.map(describe).join('\n')}`);
  }
  // esbuild turns any require it cannot bundle (non-literal, or unresolved inside try/catch) into its runtime shim.
  const problems = result.warnings.map(describe);
  const code = result.outputFiles[0]!.text;
  if (code.includes('Dynamic require of')) problems.push('  leaves a require() call the sandbox cannot satisfy');
  // A use shortly after a `typeof` test of the same global counts as guarded (`typeof global == 'object' && global`).
  const lastTest = new Map<string, number>();
  for (const use of code.matchAll(new RegExp(`(typeof\\s*)?${marker}(\\w+)`, 'g'))) {
    const [, test, name = ''] = use;
    if (test) lastTest.set(name, use.index);
    else if (use.index - (lastTest.get(name) ?? -Infinity) > 160) {
      problems.push(`  uses the Node global "${name}": …${code.slice(use.index - 60, use.index + 80)}…`);
    }
  }
  if (problems.length) throw new Error(`cannot bundle "${specifier}":\n${problems.join('\n')}`);
  return `(function () {\n"use strict";\nconst ${privateGlobal} = Object.create(globalThis);\n${code}return __module.default;\n})\n`;
}

function describe(message: esbuild.Message): string {
  const where = message.location ? ` (at ${message.location.file}:${message.location.line})` : '';
  return `  ${message.text}${where}`;
}

/** Evaluates an artifact in a bare context the way the sandbox will; returns its export names. */
export function inspectArtifact(name: string, source: string): string[] {
  const context = createBareContext();
  const before = new Set(globalNames(context));
  const namespace = compileArtifact(source, context, artifactFile(name))();
  const created = globalNames(context).filter((global) => !before.has(global));
  if (created.length) throw new Error(`"${name}" created globals: ${created.join(', ')}`);
  if (!namespace || typeof namespace !== 'object') throw new Error(`"${name}" did not return a namespace`);
  return Object.keys(namespace).sort();
}

function installedPackage(name: string): { version: string; license?: unknown } {
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (dir === path.dirname(dir)) throw new Error(`"${name}" is not installed: run npm install`);
  }
}

function inputHash(): string {
  const hash = createHash('sha256').update(esbuild.version);
  for (const file of ['build.ts', 'set.ts', 'bare-context.ts', 'manifest.ts']) {
    hash.update(readFileSync(new URL(file, import.meta.url)));
  }
  for (const { name } of moduleSet) hash.update(`${name}@${installedPackage(name).version}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** True when dist/ holds every artifact of an identical set of inputs. */
export function isFresh(dir = distDir): boolean {
  const manifest = readManifest(dir);
  return (
    manifest?.inputHash === inputHash() &&
    Object.values(manifest.artifacts).every(({ file }) => existsSync(path.join(dir, file)))
  );
}

/** Builds every artifact and the manifest into `dir` (replacing it), unless it is already fresh. */
export async function buildModules({
  dir = distDir,
  force = false,
} = {}): Promise<{ manifest: Manifest; built: boolean }> {
  if (!force && isFresh(dir)) return { manifest: readManifest(dir)!, built: false };
  const names = moduleSet.flatMap((entry) => [entry.name, ...(entry.subpaths ?? [])]);
  const outcomes = await Promise.allSettled(names.map((name) => bundle(name)));
  const failures = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [String(outcome.reason.message)] : [],
  );
  if (failures.length) throw new Error(failures.join('\n'));

  const sources = new Map(names.map((name, i) => [name, (outcomes[i] as PromiseFulfilledResult<string>).value]));
  const artifacts: Record<string, ArtifactInfo> = {};
  for (const [name, source] of sources) {
    artifacts[name] = {
      file: artifactFile(name),
      bytes: Buffer.byteLength(source),
      exports: inspectArtifact(name, source),
    };
  }
  const manifest: Manifest = {
    items: moduleSet
      .map(({ name, description }) => {
        const installed = installedPackage(name);
        const license = typeof installed.license === 'string' ? installed.license : 'UNKNOWN';
        return { name, version: installed.version, description, license, bytes: artifacts[name]!.bytes };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    artifacts,
    aliases: Object.fromEntries(moduleSet.flatMap(({ name, aliases = [] }) => aliases.map((alias) => [alias, name]))),
    exportSubpaths: moduleSet.filter((entry) => entry.exportSubpaths).map(({ name }) => name),
    inputHash: inputHash(),
  };

  // Write beside dist/ and swap it in, so a reader never sees half a build.
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [name, source] of sources) writeFileSync(path.join(staging, artifactFile(name)), source);
  writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { manifest, built: true };
}

if (import.meta.main) {
  const started = performance.now();
  try {
    const { manifest, built } = await buildModules({ force: process.argv.includes('--force') });
    const ms = Math.round(performance.now() - started);
    if (!built) {
      console.log(`@squirrelbin/modules: dist/ is up to date (${ms} ms)`);
    } else {
      for (const [name, { bytes }] of Object.entries(manifest.artifacts)) {
        console.log(`${name.padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB`);
      }
      const total = Object.values(manifest.artifacts).reduce((sum, { bytes }) => sum + bytes, 0);
      console.log(
        `@squirrelbin/modules: ${Object.keys(manifest.artifacts).length} artifacts, ${(total / 1024).toFixed(1)} KiB, built in ${ms} ms`,
      );
    }
  } catch (error) {
    console.error(`@squirrelbin/modules build failed:\n${(error as Error).message}`);
    process.exitCode = 1;
  }
}
