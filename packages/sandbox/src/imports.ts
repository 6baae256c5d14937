// What a run that imports needs before it starts, worked out on the host: every specifier its code names (and,
// transitively, the acorns it imports name) resolved against the module set and the run's `acorns` map, the imported
// acorns prepared (type-stripped, rewritten as modules), and the table bootstrap.js links them by. Linking itself
// (evaluation order, sharing, cycles, depth, size) happens in the isolate, where the imports are awaited; only
// `import()` with a computed specifier needs everything made available, since nothing here can tell what it names.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { resolveModule } from '@squirrelbin/modules';
import type { RunError } from '@squirrelbin/schemas';
import type { ImportableAcorn } from './config.ts';
import { type ImportSite, type PreparedAcorn, prepareAcorn, sourcePosition } from './prepare.ts';
import type { Strip } from './strip.ts';

/** The running acorn is depth 0; what it imports is depth 1; depth 9 is refused. */
export const MAX_IMPORT_DEPTH = 8;
/** The source of all the acorns a run imports (evaluates), together, in UTF-8 bytes. */
export const MAX_IMPORTED_BYTES = 512 * 1024;

const ACORN_SPECIFIER = /^acorn:([A-Za-z0-9_-]{16,64})(?:@(\d+))?$/;

/** `acorn:{id}` or `acorn:{id}@{version}` (version without leading zeros), or undefined when it is not one. */
export function normalizeAcornSpecifier(specifier: string): string | undefined {
  const m = ACORN_SPECIFIER.exec(specifier);
  if (!m) return undefined;
  return m[2] === undefined ? `acorn:${m[1]}` : `acorn:${m[1]}@${BigInt(m[2])}`;
}

/** How bootstrap.js resolves a specifier: a module artifact (and export, for `date-fns/addDays`), a unit, or not. */
type Resolution = ['m', string, string] | ['a', number] | ['n', string] | ['x', string];

interface TableSite {
  s: string | null;
  n: string[];
  /** `file:line:column` in the code v8 compiled: the stack frame an import error carries (the host maps it). */
  at: string;
  /** The same place in the acorn's source, for messages: `line 3, column 1` (`acorn:…@2, line 3, column 1`). */
  where: string;
}

interface TableUnit {
  key: string;
  file: string;
  statics: TableSite[];
  dyn: TableSite[];
  bytes: number;
  /** Index of its compiled wrapper among the references passed to `start`; -1 for the main acorn and failures. */
  fn: number;
  /** Preparing it failed (a syntax error): importing it rejects with this. */
  err: RunError | null;
  /** Not prepared: the acorns before it already used up the size limit. */
  over: boolean;
}

/** What to compile into the run's context, in the order of the references `start` gets. */
export type Compiled = { kind: 'module'; name: string } | { kind: 'acorn'; acorn: PreparedAcorn };

export interface PlannedImports {
  compile: Compiled[];
  /** The table, as JSON, for bootstrap.js's `start`. */
  table: string;
  /** Every file a stack frame may name, with what maps its positions back (none: already source positions). */
  files: Map<string, PreparedAcorn | undefined>;
}

export interface PlanOptions {
  strip?: Strip;
  /** `performance.now()` by which preparing must be done (the run's deadline). */
  deadline: number;
}

export async function planImports(
  main: PreparedAcorn,
  acorns: Record<string, ImportableAcorn | null>,
  { strip, deadline }: PlanOptions,
): Promise<PlannedImports | { timeout: RunError }> {
  const res: Record<string, Resolution> = Object.create(null);
  const units: TableUnit[] = [];
  const unitOf = new Map<string, number>();
  const prepared = new Map<number, PreparedAcorn>();
  const modules = new Set<string>();
  const files = new Map<string, PreparedAcorn | undefined>([[main.filename, main]]);
  const pending: number[] = [];
  let computed = false;
  let bytes = 0;

  const unitFor = (key: string): number | undefined => {
    const known = unitOf.get(key);
    if (known !== undefined) return known;
    const entry = Object.hasOwn(acorns, key) ? acorns[key] : null;
    if (!entry) return undefined;
    const file = `acorn:${entry.id}@${entry.version}`;
    const size = Buffer.byteLength(entry.code);
    const index = units.length;
    const over = bytes + size > MAX_IMPORTED_BYTES;
    if (!over) bytes += size;
    units.push({ key, file, statics: [], dyn: [], bytes: size, fn: -1, err: null, over });
    unitOf.set(key, index);
    if (!over) pending.push(index);
    return index;
  };
  const resolve = (specifier: string) => {
    if (Object.hasOwn(res, specifier)) return;
    if (specifier.startsWith('acorn:')) {
      const key = normalizeAcornSpecifier(specifier);
      const unit = key === undefined ? undefined : unitFor(key);
      res[specifier] = unit === undefined ? ['n', key ?? specifier] : ['a', unit];
      return;
    }
    const module = resolveModule(specifier);
    if (module) {
      modules.add(module.name);
      res[specifier] = ['m', module.name, module.export ?? ''];
    } else {
      res[specifier] = ['x', unknownReason(specifier)];
    }
  };
  const sites = (acorn: PreparedAcorn, list: ImportSite[], file: string, isMain: boolean): TableSite[] =>
    list.map((site) => {
      if (site.specifier === null) computed = true;
      else resolve(site.specifier);
      const at = sourcePosition(acorn, site.line, site.column);
      const where = `${isMain ? '' : `${file}, `}line ${at.line}, column ${at.column}`;
      return { s: site.specifier, n: site.names, at: `${file}:${site.line}:${site.column}`, where };
    });
  const describe = (unit: TableUnit, acorn: PreparedAcorn, isMain: boolean) => {
    unit.statics = sites(acorn, acorn.imports?.statics ?? [], unit.file, isMain);
    unit.dyn = sites(acorn, acorn.imports?.dynamics ?? [], unit.file, isMain);
  };

  const mainUnit: TableUnit = {
    key: '',
    file: main.filename,
    statics: [],
    dyn: [],
    bytes: 0,
    fn: -1,
    err: null,
    over: false,
  };
  units.push(mainUnit);
  describe(mainUnit, main, true);
  let everything = false;
  for (;;) {
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      const unit = units[index] as TableUnit;
      const entry = acorns[unit.key] as ImportableAcorn;
      const timeoutMs = Math.max(1, Math.floor(deadline - performance.now()));
      const preparation = await prepareAcorn(entry.language, entry.code, {
        strip,
        timeoutMs,
        role: 'imported',
        filename: unit.file,
      });
      if (!preparation.ok) {
        if (preparation.status === 'timeout') return { timeout: preparation.error };
        unit.err = { ...preparation.error, source: unit.file };
        files.set(unit.file, undefined);
        continue;
      }
      prepared.set(index, preparation.acorn);
      files.set(unit.file, preparation.acorn);
      describe(unit, preparation.acorn, false);
    }
    // `import(expression)`: any acorn of the map and any module may be asked for.
    if (!computed || everything) break;
    everything = true;
    for (const key of Object.keys(acorns)) {
      const normal = normalizeAcornSpecifier(key);
      if (normal !== undefined) resolve(normal);
    }
    for (const [specifier, resolution] of Object.entries(allModuleSpecifiers())) {
      if (!Object.hasOwn(res, specifier)) res[specifier] = resolution;
      modules.add(resolution[1] as string);
    }
  }

  const compile: Compiled[] = [...modules].map((name) => ({ kind: 'module', name }));
  const mods: Record<string, number> = {};
  compile.forEach((c, i) => {
    if (c.kind === 'module') mods[c.name] = i;
  });
  for (const [index, acorn] of prepared) {
    (units[index] as TableUnit).fn = compile.length;
    compile.push({ kind: 'acorn', acorn });
  }
  const table = { units, res, mods, maxDepth: MAX_IMPORT_DEPTH, maxBytes: MAX_IMPORTED_BYTES };
  return { compile, table: JSON.stringify(table), files };
}

function unknownReason(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (
    specifier.startsWith('node:') ||
    builtinModules.includes(bare) ||
    builtinModules.includes(bare.split('/')[0] ?? '')
  ) {
    return "Node's built-in modules are not available to acorns";
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(specifier)) return 'acorns cannot import URLs';
  if (/^\.{0,2}\//.test(specifier) || specifier.startsWith('\\')) return 'acorns cannot import files';
  return 'it is not one of the modules acorns may import';
}

let everyModule: Record<string, Resolution> | undefined;

/** Every specifier of the module set (for `import()` of a computed specifier), from the modules' manifest. */
function allModuleSpecifiers(): Record<string, Resolution> {
  if (everyModule) return everyModule;
  const zod = resolveModule('zod');
  if (!zod) throw new Error('the module set has no zod: is @squirrelbin/modules built?');
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(zod.file), 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { exports: string[] }>;
    aliases: Record<string, string>;
    exportSubpaths: string[];
  };
  const all: Record<string, Resolution> = Object.create(null);
  for (const name of Object.keys(manifest.artifacts)) all[name] = ['m', name, ''];
  for (const [alias, name] of Object.entries(manifest.aliases)) all[alias] = ['m', name, ''];
  for (const base of manifest.exportSubpaths) {
    for (const name of manifest.artifacts[base]?.exports ?? []) {
      if (name !== 'default') all[`${base}/${name}`] = ['m', base, name];
    }
  }
  everyModule = all;
  return all;
}
