// The shape of dist/manifest.json and where the artifacts live, shared by the build and the loader.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
/**
 * Where the artifacts are: `dist/` in the repository (where the build writes them); inside a Lambda bundle, the
 * `modules/` directory the stack ships beside it (infra/src/lambda-bundle.ts).
 */
const repositoryDist = path.join(packageDir, 'dist');
const shippedDir = fileURLToPath(new URL('./modules/', import.meta.url));
export const distDir =
  !existsSync(path.join(repositoryDist, 'manifest.json')) && existsSync(path.join(shippedDir, 'manifest.json'))
    ? shippedDir
    : repositoryDist;

/** A public `GET /api/modules` item. */
export interface ModuleItem {
  name: string;
  version: string;
  description: string;
  license: string;
  /** Size of the package's main artifact (subpath artifacts are listed in `artifacts`). */
  bytes: number;
}

/** One built file: what the loader needs to resolve a specifier and hand the sandbox its source. */
export interface ArtifactInfo {
  file: string;
  bytes: number;
  /** The namespace's own keys, `default` included, sorted: enough to write a static ESM facade. */
  exports: string[];
}

export interface Manifest {
  items: ModuleItem[];
  /** Artifact name (its specifier: `zod`, `dayjs/plugin/utc`) → file. */
  artifacts: Record<string, ArtifactInfo>;
  /** Specifier → artifact name it loads unchanged. */
  aliases: Record<string, string>;
  /** Packages whose `<name>/<export>` is the main artifact's named export `<export>`. */
  exportSubpaths: string[];
  /** Hash of the build's inputs (its code, the set, installed versions, esbuild); equal hash → nothing to rebuild. */
  inputHash: string;
}

/** The file name of an artifact: `dayjs/plugin/utc` → `dayjs__plugin__utc.js`. */
export const artifactFile = (name: string) => `${name.replace(/^@/, '').replaceAll('/', '__')}.js`;

/** The manifest in `dir`, or undefined when there is none. */
export function readManifest(dir = distDir): Manifest | undefined {
  const file = path.join(dir, 'manifest.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
