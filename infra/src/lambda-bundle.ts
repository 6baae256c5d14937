/**
 * How each route's Lambda is bundled: the esbuild settings CDK's NodejsFunction uses, and the files shipped
 * next to the bundle of routes that run acorns (isolated-vm, the sandbox's bootstrap). The bundle test uses
 * the same settings, so what it invokes is what gets deployed.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LambdaTarget {
  esbuildTarget: string;
  /** `process.versions.modules` of the runtime's Node. */
  nodeAbi: string;
  /** isolated-vm's prebuild directory, which also decides the functions' architecture. */
  prebuild: 'linux-x64' | 'linux-arm64';
  libc: 'glibc';
}

/** Lambda's Node 24 runtime on x86_64 (Amazon Linux 2023, glibc): the isolated-vm prebuild must match. */
export const lambdaTarget: LambdaTarget = {
  esbuildTarget: 'node24',
  nodeAbi: '137',
  prebuild: 'linux-x64',
  libc: 'glibc',
};

/** Everything that decides a bundle's content, in the shape both CDK and esbuild's API understand. */
export interface LambdaBundleSettings {
  entry: string;
  target: string;
  format: 'esm';
  minify: boolean;
  keepNames: boolean;
  /** ESM output still has CommonJS dependencies that call `require`. */
  banner: string;
  mainFields: string[];
  /** Left out of the bundle and shipped as files next to it (isolated-vm for run routes, see shippedFiles). */
  external: string[];
  /** Import path → file (relative to the repository root) swapped in for it. */
  alias: Record<string, string>;
}

const banner =
  "import { createRequire as __sqbCreateRequire } from 'node:module'; const require = __sqbCreateRequire(import.meta.url);";

/** The Lambda entry of a route: `apps/api/src/lambda/<name with dots as dashes>.ts`, exporting `handler`. */
export function lambdaEntry(routeName: string): string {
  return join(repoRoot, 'apps/api/src/lambda', `${routeName.replaceAll('.', '-')}.ts`);
}

export function lambdaBundleSettings(route: { name: string; runsAcorns?: boolean | undefined }): LambdaBundleSettings {
  const entry = lambdaEntry(route.name);
  if (!existsSync(entry)) {
    throw new Error(`route ${route.name} has no Lambda entry: expected ${relative(repoRoot, entry)} exporting handler`);
  }
  const alias: Record<string, string> = {
    // The embedded store (dynalite on a native LevelDB) is never used on AWS; keep it out of the bundle.
    dynalite: './infra/src/lambda/no-embedded-store.cjs',
  };
  // Routes that never run acorns get a stand-in: no native addon, no files read at load (the sandbox reads one).
  if (!route.runsAcorns) alias['@squirrelbin/sandbox'] = './infra/src/lambda/no-sandbox.cjs';
  // Routes that do load the addon on their first run, not at init (see the stand-in's comment).
  else alias['isolated-vm'] = './infra/src/lambda/isolated-vm.mjs';
  return {
    entry,
    target: lambdaTarget.esbuildTarget,
    format: 'esm',
    minify: true,
    keepNames: true,
    banner,
    mainFields: ['module', 'main'],
    // The AWS SDK is bundled too (not taken from the runtime): pinned versions, one file, smaller cold start.
    external: route.runsAcorns ? ['isolated-vm'] : [],
    alias,
  };
}

/**
 * The isolated-vm addon the run functions ship, built from source for Lambda's Amazon Linux 2023 by
 * `infra/scripts/build-isolated-vm.ts` (not committed): the prebuild in the npm package needs GLIBCXX_3.4.30.
 */
export const builtAddon = join(repoRoot, 'infra/.isolated-vm/isolated-vm.node');

/** Where node-gyp-build looks for it in the shipped package (relative to `node_modules/isolated-vm`). */
export const shippedAddon = join(
  'prebuilds',
  lambdaTarget.prebuild,
  `isolated-vm.abi${lambdaTarget.nodeAbi}.${lambdaTarget.libc}.node`,
);

/**
 * The `$default` route's function (`apps/api/src/lambda/fallback.ts`): no route, no store, no sandbox; it answers
 * what no route matched with the app's own 404/405.
 */
export function fallbackBundleSettings(): LambdaBundleSettings {
  return lambdaBundleSettings({ name: 'fallback' });
}

/** A file to copy from the repository into the bundle directory. */
export interface ShippedFile {
  /** Relative to the repository root. */
  from: string;
  /** Relative to the bundle directory. */
  to: string;
  /** A build output, not a source: when missing at bundling time, the copy fails with this advice. */
  buildHint?: string;
}

/**
 * Files a run function needs beside its bundle: isolated-vm and its one dependency, with only the addon for the
 * Lambda platform (built for it, see builtAddon), and the sandbox's bootstrap script, which it reads next to its
 * own module (`new URL('./bootstrap.js', import.meta.url)`, the bundle once bundled).
 */
export function shippedFiles(route: { runsAcorns?: boolean | undefined }): ShippedFile[] {
  if (!route.runsAcorns) return [];
  const require = createRequire(join(repoRoot, 'packages/sandbox/package.json'));
  const ivmDir = dirname(require.resolve('isolated-vm/package.json'));
  const gypBuildDir = dirname(createRequire(join(ivmDir, 'package.json')).resolve('node-gyp-build/package.json'));
  const files: ShippedFile[] = [
    ...['package.json', 'isolated-vm.js', 'LICENSE'].map((file) => ({
      from: join(ivmDir, file),
      to: join('node_modules/isolated-vm', file),
    })),
    // Not isolated-vm's own prebuild (it needs a libstdc++ newer than Lambda's): ours, built for Lambda's OS. Checked
    // when bundling, not here: synthesizing without bundling (the CDK tests) needs no build.
    {
      from: builtAddon,
      to: join('node_modules/isolated-vm', shippedAddon),
      buildHint: 'build it with: npm run build:isolated-vm -w @squirrelbin/infra (npm run synth and deploy do)',
    },
    ...['package.json', 'index.js', 'node-gyp-build.js', 'LICENSE'].map((file) => ({
      from: join(gypBuildDir, file),
      to: join('node_modules/node-gyp-build', file),
    })),
    { from: join(repoRoot, 'packages/sandbox/src/bootstrap.js'), to: 'bootstrap.js' },
  ];
  for (const file of files) {
    if (!file.buildHint && !existsSync(file.from)) throw new Error(`run function files: missing ${file.from}`);
  }
  return files.map((file) => ({ ...file, from: relative(repoRoot, file.from) }));
}

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/** Shell commands for CDK's `afterBundling` hook that copy `files` from `inputDir` into `outputDir`. */
export function copyCommands(files: ShippedFile[], inputDir: string, outputDir: string): string[] {
  const dirs = [...new Set(files.map((file) => dirname(join(outputDir, file.to))))];
  return [
    ...files.flatMap((file) => {
      const from = quote(join(inputDir, file.from));
      const missing = quote(`${file.from} is not built; ${file.buildHint}`);
      return file.buildHint ? [`test -f ${from} || { echo ${missing} >&2; exit 1; }`] : [];
    }),
    `mkdir -p ${dirs.map(quote).join(' ')}`,
    ...files.map((file) => `cp ${quote(join(inputDir, file.from))} ${quote(join(outputDir, file.to))}`),
  ];
}
