/**
 * The npm packages acorns may import, prebuilt into dist/ by `npm run build -w @squirrelbin/modules`.
 *
 * Each artifact is a classic script whose completion value is a function; calling it evaluates the package and
 * returns a frozen namespace object (named exports plus `default`). Compile once per isolate, call once per run.
 *
 * @example
 * const resolved = resolveModule('date-fns/addDays'); // { name: 'date-fns', file, exports: [...], export: 'addDays' }
 * const source = moduleSource(resolved.name);
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { distDir, type Manifest, type ModuleItem, readManifest } from './manifest.ts';

export type { ArtifactInfo, Manifest, ModuleItem } from './manifest.ts';

/** What a specifier loads: the artifact `name` (for {@link moduleSource}) and, for a subpath, which export. */
export interface ResolvedModule {
  /** The artifact: `zod`, `dayjs/plugin/utc`, or for `date-fns/addDays` the main `date-fns`. */
  name: string;
  /** Absolute path of the artifact file. */
  file: string;
  /** The namespace's export names, `default` included, as the importing code will see them. */
  exports: string[];
  /**
   * Set for export subpaths (`date-fns/addDays` → `addDays`): the module is not the artifact's namespace but
   * `{ default: ns[export], [export]: ns[export] }`.
   */
  export?: string;
}

/** The three loader functions over the artifacts in `dir` (dist/ by default); the manifest is read on first use. */
export function createModuleLoader(dir = distDir) {
  let manifest: Manifest | undefined;
  const sources = new Map<string, string>();

  function loaded(): Manifest {
    manifest ??= readManifest(dir);
    if (!manifest) throw new Error(`${dir} has no manifest.json: run npm run build -w @squirrelbin/modules`);
    return manifest;
  }

  /** The public list for `GET /api/modules`: `{ items: [{ name, version, description, license, bytes }] }`. */
  function modulesManifest(): { items: ModuleItem[] } {
    return { items: loaded().items };
  }

  /** Resolves a bare specifier in the set; anything else (`node:fs`, `./x`, URLs, `acorn:…`, unknown) → undefined. */
  function resolveModule(specifier: string): ResolvedModule | undefined {
    const { artifacts, aliases, exportSubpaths } = loaded();
    const name = Object.hasOwn(aliases, specifier) ? aliases[specifier]! : specifier;
    if (Object.hasOwn(artifacts, name)) {
      const artifact = artifacts[name]!;
      return { name, file: path.join(dir, artifact.file), exports: artifact.exports };
    }
    const slash = specifier.lastIndexOf('/');
    const base = specifier.slice(0, slash);
    const exported = specifier.slice(slash + 1);
    if (slash < 0 || !exportSubpaths.includes(base) || exported === 'default') return undefined;
    const artifact = artifacts[base]!;
    if (!artifact.exports.includes(exported)) return undefined;
    return { name: base, file: path.join(dir, artifact.file), exports: ['default', exported].sort(), export: exported };
  }

  /** The artifact's script text (read once, then cached). Throws for a name that is not an artifact. */
  function moduleSource(name: string): string {
    let source = sources.get(name);
    if (source === undefined) {
      const { artifacts } = loaded();
      if (!Object.hasOwn(artifacts, name)) throw new Error(`"${name}" is not a built module artifact`);
      source = readFileSync(path.join(dir, artifacts[name]!.file), 'utf8');
      sources.set(name, source);
    }
    return source;
  }

  return { modulesManifest, resolveModule, moduleSource };
}

export type ModuleLoader = ReturnType<typeof createModuleLoader>;

export const { modulesManifest, resolveModule, moduleSource } = createModuleLoader();
