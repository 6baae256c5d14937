/**
 * Bundles route Lambdas the way CDK's local bundling does (esbuild with `lambdaBundleSettings`, then the
 * `afterBundling` copies), for the bundle test and for this report: each function's bundle size, what is in it,
 * and its init time — a fresh Node process importing the bundle, as a cold Lambda does before its first event.
 *
 *   npm exec -w @squirrelbin/infra -- node scripts/lambda-bundles.ts [--runs 5] [--json]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import {
  copyCommands,
  fallbackBundleSettings,
  jobsWorker,
  type LambdaBundleSettings,
  type LambdaFunctionSpec,
  lambdaBundleSettings,
  repoRoot,
  shippedArtifacts,
  shippedFiles,
} from '../src/lambda-bundle.ts';

const run = promisify(execFile);

export interface BuiltBundle {
  /** The bundle's `index.mjs`. */
  file: string;
  dir: string;
  metafile: Metafile;
}

/** esbuild with the settings CDK gets, then the files CDK's afterBundling hook copies. */
export async function bundleLambda(
  settings: LambdaBundleSettings,
  dir: string,
  shipped: ReturnType<typeof shippedFiles> = [],
): Promise<BuiltBundle> {
  const result = await build({
    entryPoints: [settings.entry],
    bundle: true,
    platform: 'node',
    target: settings.target,
    format: settings.format,
    outfile: join(dir, 'index.mjs'),
    minify: settings.minify,
    keepNames: settings.keepNames,
    banner: { js: settings.banner },
    mainFields: settings.mainFields,
    external: settings.external,
    alias: settings.alias,
    absWorkingDir: repoRoot,
    logLevel: 'warning',
    metafile: true,
  });
  if (shipped.length) await run('sh', ['-c', copyCommands(shipped, repoRoot, dir).join(' && ')]);
  return { file: join(dir, 'index.mjs'), dir, metafile: result.metafile };
}

/**
 * Builds each artifact directory the functions ship (`shippedArtifacts`) whose named files are missing, with its own
 * build command, as a deploy needs them built first.
 */
export async function ensureShippedArtifacts(): Promise<void> {
  for (const artifacts of shippedArtifacts) {
    const missing = artifacts.files.filter(
      (file) => !file.includes('*') && !existsSync(join(repoRoot, artifacts.dir, file)),
    );
    if (missing.length === 0) continue;
    console.log(`${artifacts.dir}: ${missing.join(', ')} missing; running ${artifacts.build}`);
    await run('sh', ['-c', artifacts.build], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  }
}

/** A route's function, or the jobs worker: bundled into `<root>/<name>` with the files shipped beside it. */
export const bundleRoute = (spec: LambdaFunctionSpec, root: string) =>
  bundleLambda(lambdaBundleSettings(spec), join(root, spec.name), shippedFiles(spec));

/** The environment a deployed function has (table names, Lambda's own variables), for importing a bundle here. */
export const lambdaEnvironment = (endpoint = 'http://127.0.0.1:9'): Record<string, string> => ({
  AWS_LAMBDA_FUNCTION_NAME: 'squirrelbin-bundle-report',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  DYNAMODB_ENDPOINT: endpoint,
  ACORNS_TABLE: 'report-acorns',
  IDENTITIES_TABLE: 'report-identities',
  METRICS_TABLE: 'report-metrics',
  LIMITS_TABLE: 'report-limits',
  INVOCATIONS_TABLE: 'report-invocations',
  JOBS_TABLE: 'report-jobs',
  JOB_RESULTS_TABLE: 'report-job-results',
  CORS_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
  RUN_WORKERS: '1',
});

/**
 * What a fresh Node process spends importing the bundle (module load and top-level code), median of `runs`: wall
 * milliseconds, and CPU milliseconds (user + system), which a machine busy with other work disturbs less.
 */
export async function measureInit(file: string, runs: number): Promise<{ wallMs: number; cpuMs: number }> {
  const script = `const t = performance.now(); const c = process.cpuUsage(); await import(process.argv[1]);
    const u = process.cpuUsage(c); console.log(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
  const samples: [number, number][] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], {
      env: { ...process.env, ...lambdaEnvironment(), NODE_OPTIONS: '--no-node-snapshot' },
    });
    samples.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as [number, number]);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { wallMs: round(median(samples.map(([wall]) => wall))), cpuMs: round(median(samples.map(([, cpu]) => cpu))) };
}

/** Bytes of everything in the bundle directory (the bundle and the files shipped beside it), unzipped. */
export async function directoryBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}

/** Bytes of the bundle's output that came from inputs matching `pattern`. */
export function bytesFrom(metafile: Metafile, pattern: RegExp): number {
  let bytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      if (pattern.test(input)) bytes += bytesInOutput;
  }
  return bytes;
}

/** Route modules (`apps/api/src/routes/*.ts`) whose code is in the bundle. */
export function routeModules(metafile: Metafile): string[] {
  const output = Object.values(metafile.outputs)[0]!;
  return Object.entries(output.inputs)
    .filter(([input, { bytesInOutput }]) => /apps\/api\/src\/routes\/[^/]+\.ts$/.test(input) && bytesInOutput > 0)
    .map(([input]) => input.replace(/.*\/routes\//, ''));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean' } } });
  const runs = Number(values.runs);
  const { routes } = await import('@squirrelbin/api/routes');
  await ensureShippedArtifacts();
  const root = await mkdtemp(join(tmpdir(), 'squirrelbin-bundle-report-'));
  const rows: Record<string, unknown>[] = [];
  try {
    const targets = [
      ...routes.map(({ spec }) => ({ name: spec.name, build: () => bundleRoute(spec, root) })),
      { name: jobsWorker.name, build: () => bundleRoute(jobsWorker, root) },
      { name: '$default', build: () => bundleLambda(fallbackBundleSettings(), join(root, '$default')) },
    ];
    for (const target of targets) {
      const bundle = await target.build();
      rows.push({
        function: target.name,
        kB: Math.round((await stat(bundle.file)).size / 1024),
        shippedKB: Math.round((await directoryBytes(bundle.dir)) / 1024),
        zodLocalesKB: Math.round(bytesFrom(bundle.metafile, /zod\/v4\/locales\//) / 1024),
        zodKB: Math.round(bytesFrom(bundle.metafile, /node_modules\/zod\//) / 1024),
        routeModules: routeModules(bundle.metafile).length,
        ...(await measureInit(bundle.file, runs)),
      });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else console.table(rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
