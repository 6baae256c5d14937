/**
 * How each Lambda is bundled (every route's, the `$default` one, the jobs worker): the esbuild settings CDK's
 * NodejsFunction uses, and the files shipped next to the bundle of functions that run acorns (isolated-vm, the
 * sandbox's bootstrap and its build artifacts). The bundle test uses the same settings, so what it invokes is what
 * gets deployed.
 */
import { existsSync, readdirSync } from 'node:fs';
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

/**
 * What decides a function's bundle: its name, whose Lambda entry is `apps/api/src/lambda/<name with dots as dashes>.ts`
 * (a route's spec, the `$default` function, the jobs worker), and whether it runs acorns.
 */
export interface LambdaFunctionSpec {
  name: string;
  runsAcorns?: boolean | undefined;
}

/** The Lambda entry of a function: `apps/api/src/lambda/<name with dots as dashes>.ts`, exporting `handler`. */
export function lambdaEntry(name: string): string {
  return join(repoRoot, 'apps/api/src/lambda', `${name.replaceAll('.', '-')}.ts`);
}

export function lambdaBundleSettings(fn: LambdaFunctionSpec): LambdaBundleSettings {
  const entry = lambdaEntry(fn.name);
  if (!existsSync(entry)) {
    throw new Error(`function ${fn.name} has no Lambda entry: expected ${relative(repoRoot, entry)} exporting handler`);
  }
  const alias: Record<string, string> = {
    // The embedded store (dynalite on a native LevelDB) is never used on AWS; keep it out of the bundle.
    dynalite: './infra/src/lambda/no-embedded-store.cjs',
  };
  // Routes that never run acorns get a stand-in: no native addon, no files read at load (the sandbox reads one).
  if (!fn.runsAcorns) alias['@squirrelbin/sandbox'] = './infra/src/lambda/no-sandbox.cjs';
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
    external: fn.runsAcorns ? ['isolated-vm'] : [],
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

/**
 * The jobs worker (`apps/api/src/lambda/jobs-worker.ts`), fed by the jobs queue: it runs acorns, so it is bundled and
 * shipped as the run routes are (`lambdaBundleSettings`, `shippedFiles`).
 */
export const jobsWorker = { name: 'jobs.worker', runsAcorns: true } as const satisfies LambdaFunctionSpec;

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
 * A directory of build output the functions read at run time, shipped beside their bundles: adding one is one line in
 * `shippedArtifacts`. Copied when CDK bundles (after the build ran), never read at synth.
 */
export interface ShippedArtifacts {
  /** The build's output directory, relative to the repository root. */
  dir: string;
  /**
   * What to ship from it: file names, each of which must be there (bundling fails with `build` as the advice), and
   * `*`-patterns (`*.js`), which ship whatever the build left that matches.
   */
  files: readonly string[];
  /** Where they go, relative to the bundle directory (`.`: beside `index.mjs`). */
  to: string;
  /** The command that builds the directory. */
  build: string;
  /** Which functions get them: those that run acorns (the default), or every route function. */
  functions?: 'run' | 'all';
}

const modulesBuild = 'npm run build -w @squirrelbin/modules';

/**
 * Build outputs shipped beside the bundles: the sandbox's web globals (core-js's URL, URLSearchParams,
 * structuredClone), which it reads beside its own module once bundled (`./web-globals.js` next to `index.mjs`, see
 * packages/sandbox/src/bootstrap-source.ts); the importable npm packages (`modules/`), their manifest for every
 * function (`GET /api/modules` lists it) and their code for the functions that run acorns.
 */
export const shippedArtifacts: readonly ShippedArtifacts[] = [
  { dir: 'packages/sandbox/dist', files: ['web-globals.js'], to: '.', build: 'npm run build -w @squirrelbin/sandbox' },
  { dir: 'packages/modules/dist', files: ['manifest.json'], to: 'modules', build: modulesBuild, functions: 'all' },
  { dir: 'packages/modules/dist', files: ['*.js'], to: 'modules', build: modulesBuild },
];

/** The sandbox's own scripts it reads beside its module (`new URL('./bootstrap.js', import.meta.url)`, …). */
const sandboxScripts = ['bootstrap.js', 'web.js'];

/** `*` in a file-name pattern matches any run of characters (patterns name files of one directory). */
function matchesPattern(pattern: string, name: string): boolean {
  const literal = (part: string) => part.replace(/[.+?^$()|[\]{}\\]/g, '\\$&');
  return new RegExp(`^${pattern.split('*').map(literal).join('.*')}$`).test(name);
}

/** The files of one artifact directory, as copies; from the repository root, to the bundle directory. */
export function artifactFiles(artifacts: ShippedArtifacts, root = repoRoot): ShippedFile[] {
  const buildHint = `build it with: ${artifacts.build}`;
  const dir = join(root, artifacts.dir);
  const present = existsSync(dir) ? readdirSync(dir) : [];
  return artifacts.files.flatMap((file) => {
    if (!file.includes('*')) return [{ from: join(artifacts.dir, file), to: join(artifacts.to, file), buildHint }];
    return present
      .filter((name) => matchesPattern(file, name) && !artifacts.files.includes(name))
      .sort()
      .map((name) => ({ from: join(artifacts.dir, name), to: join(artifacts.to, name) }));
  });
}

/**
 * Files a function needs beside its bundle. A run function: isolated-vm and its one dependency, with only the addon
 * for the Lambda platform (built for it, see builtAddon), the sandbox's scripts, which it reads next to its own module
 * (the bundle once bundled), and the `shippedArtifacts`. Any other function: the artifacts meant for all.
 */
export function shippedFiles(fn: Pick<LambdaFunctionSpec, 'runsAcorns'>): ShippedFile[] {
  const artifacts = shippedArtifacts
    .filter((set) => fn.runsAcorns || set.functions === 'all')
    .flatMap((set) => artifactFiles(set));
  if (!fn.runsAcorns) return artifacts;
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
    ...sandboxScripts.map((file) => ({ from: join(repoRoot, 'packages/sandbox/src', file), to: file })),
  ];
  for (const file of files) {
    if (!file.buildHint && !existsSync(file.from)) throw new Error(`run function files: missing ${file.from}`);
  }
  return [...files.map((file) => ({ ...file, from: relative(repoRoot, file.from) })), ...artifacts];
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
