/**
 * Bundles every route's Lambda with the exact esbuild settings the stack gives CDK, then invokes the bundled
 * files (not the sources) with API Gateway v2 events against the embedded store, the way Lambda would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { RouteSpec } from '@squirrelbin/api/route';
import {
  type HttpRequest,
  type HttpResponse,
  httpApiEvent,
  lambdaContext,
} from '@squirrelbin/api/testing/api-gateway-event';
import { endpointDimension, metricNames, metricsNamespace } from '@squirrelbin/metrics';
import { type EmbeddedStore, openStore, startEmbeddedStore } from '@squirrelbin/store';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCommands, lambdaBundleSettings, lambdaTarget, repoRoot, shippedFiles } from '../src/lambda-bundle.ts';
import { routeSpecs } from './synth.ts';

const run = promisify(execFile);

/** What CDK's local bundling does for one function: esbuild, then the afterBundling copy commands. */
async function bundleRoute(spec: RouteSpec, root: string): Promise<string> {
  const settings = lambdaBundleSettings(spec);
  const dir = join(root, spec.name);
  await build({
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
  });
  const files = shippedFiles(spec);
  if (files.length) await run('sh', ['-c', copyCommands(files, repoRoot, dir).join(' && ')]);
  return join(dir, 'index.mjs');
}

const tables = {
  acorns: 'bundle-test-acorns',
  identities: 'bundle-test-identities',
  metrics: 'bundle-test-metrics',
  limits: 'bundle-test-limits',
};
const specOf = (name: string) => routeSpecs.find((spec) => spec.name === name)!;
const runners = routeSpecs.filter((spec) => spec.runsAcorns);

describe('Lambda bundles', () => {
  let root: string;
  let store: EmbeddedStore;
  const bundles = new Map<string, string>();
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'squirrelbin-bundles-'));
    const built = await Promise.all(
      routeSpecs.map(async (spec) => [spec.name, await bundleRoute(spec, root)] as const),
    );
    for (const [name, file] of built) bundles.set(name, file);

    store = await startEmbeddedStore(join(root, 'data'));
    // As on AWS: the tables exist before any function starts, and the functions never create them.
    const admin = await openStore({
      endpoint: store.endpoint,
      dataDir: join(root, 'data'),
      tables,
      createTables: true,
    });
    await admin.close();
    Object.assign(process.env, {
      AWS_LAMBDA_FUNCTION_NAME: 'squirrelbin-bundle-test',
      AWS_REGION: 'eu-west-1',
      DYNAMODB_ENDPOINT: store.endpoint,
      ACORNS_TABLE: tables.acorns,
      IDENTITIES_TABLE: tables.identities,
      METRICS_TABLE: tables.metrics,
      LIMITS_TABLE: tables.limits,
      CORS_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
      RUN_WORKERS: '1',
    });
  }, 120_000);

  afterAll(async () => {
    process.env = savedEnv;
    await store?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** EMF documents the handlers printed, as CloudWatch Logs would extract them. */
  const emf: { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } }[] = [];

  /** Imports the bundle (once per route, like a warm execution environment) and invokes its handler. */
  async function invoke(name: string, request: Omit<HttpRequest, 'routeKey'>): Promise<HttpResponse> {
    const spec = specOf(name);
    const { handler } = (await import(pathToFileURL(bundles.get(name)!).href)) as {
      handler: (event: unknown, context: unknown) => Promise<HttpResponse>;
    };
    const event = httpApiEvent({ ...request, routeKey: `${spec.method.toUpperCase()} ${spec.path}` });
    // On Lambda stdout goes to CloudWatch Logs; here it is kept out of the test output and checked.
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = chunk.toString();
      if (!text.startsWith('{"_aws"'))
        return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      for (const line of text.split('\n').filter(Boolean)) emf.push(JSON.parse(line));
      return true;
    }) as typeof process.stdout.write;
    try {
      return await handler(event, lambdaContext(name));
    } finally {
      process.stdout.write = write;
    }
  }

  const json = (response: HttpResponse) => JSON.parse(response.body) as Record<string, unknown>;

  it('bundles every route into one file, with isolated-vm for Lambda only beside the run bundles', async () => {
    for (const spec of routeSpecs) {
      const dir = join(root, spec.name);
      const entries = await readdir(dir, { recursive: true });
      const addons = entries.filter((entry) => entry.endsWith('.node'));
      if (spec.runsAcorns) {
        expect(addons).toEqual([
          `node_modules/isolated-vm/prebuilds/${lambdaTarget.prebuild}/isolated-vm.abi${lambdaTarget.nodeAbi}.${lambdaTarget.libc}.node`,
        ]);
        expect(entries).toContain('bootstrap.js');
      } else {
        expect(entries).toEqual(['index.mjs']);
      }
      expect((await stat(join(dir, 'index.mjs'))).size).toBeLessThan(10 * 1024 * 1024);
    }
    // The addon shipped is the one for the Node the tests (and Lambda's nodejs24.x) run.
    expect(process.versions.modules).toBe(lambdaTarget.nodeAbi);
  });

  it('serves health, identities and acorns from the bundled handlers', async () => {
    const health = await invoke('health', { path: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(json(health)).toMatchObject({ status: 'ok' });

    const identity = await invoke('identities.create', { path: '/api/identities' });
    expect(identity.statusCode).toBe(201);
    const { key } = json(identity) as { key: string };
    expect(key).toMatch(/^sqb_/);
    const auth = { authorization: `Bearer ${key}` };

    const created = await invoke('acorns.create', {
      path: '/api/acorns',
      headers: auth,
      body: { title: 'Bundled acorn', language: 'javascript', code: 'input ?? 41 + 1', visibility: 'public' },
    });
    expect(created.statusCode).toBe(201);
    const { id } = json(created) as { id: string };
    expect(created.headers.location).toBe(`/api/acorns/${id}`);
    expect(created.headers.etag).toBe('"1"');

    const read = await invoke('acorns.get', { path: `/api/acorns/${id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(json(read)).toMatchObject({ id, title: 'Bundled acorn' });

    const list = await invoke('acorns.list', { path: '/api/acorns', query: { limit: '10' } });
    expect(list.statusCode).toBe(200);
    expect((json(list).items as { id: string }[]).map((item) => item.id)).toContain(id);

    const missing = await invoke('acorns.get', { path: '/api/acorns/no-such-acorn-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(missing)).toMatchObject({ status: 404 });

    const metrics = await invoke('admin.metrics', { path: '/api/admin/metrics', headers: auth });
    expect(metrics.statusCode).toBe(403);
    expect(metrics.headers['content-type']).toMatch(/^application\/problem\+json/);

    const openApi = await invoke('openapi.get', { path: '/api/openapi.json' });
    expect(openApi.statusCode).toBe(200);
    expect(json(openApi).openapi).toMatch(/^3\.1/);
  });

  it('emits the EMF metrics the alarms and dashboard read', () => {
    expect(emf.length).toBeGreaterThan(0);
    for (const document of emf as unknown as Record<string, unknown>[]) {
      const [directive] = (document as (typeof emf)[number])._aws.CloudWatchMetrics;
      expect(directive).toMatchObject({ Namespace: metricsNamespace, Dimensions: [[endpointDimension]] });
      expect(routeSpecs.map((spec) => spec.name)).toContain(document[endpointDimension]);
    }
    const first = emf[0] as unknown as Record<string, unknown>;
    for (const name of [metricNames.requests, metricNames.status4xx, metricNames.status5xx, metricNames.latency]) {
      expect(first).toHaveProperty(name);
    }
  });

  it.each(runners.map((spec) => spec.name))(
    'runs code from the %s bundle in its own process, with Lambda’s NODE_OPTIONS',
    async (name) => {
      let path = '/api/run';
      let body: unknown = { language: 'javascript', code: '1 + 2' };
      if (name !== 'run.code') {
        const identity = json(await invoke('identities.create', { path: '/api/identities' })) as { key: string };
        const created = await invoke('acorns.create', {
          path: '/api/acorns',
          headers: { authorization: `Bearer ${identity.key}` },
          body: { title: 'Run me', language: 'typescript', code: 'const n: number = 1 + 2;\nn', visibility: 'public' },
        });
        path = specOf(name).path.replace('{id}', (json(created) as { id: string }).id);
        body = undefined;
      }
      const event = httpApiEvent({ routeKey: `POST ${specOf(name).path}`, path, body });
      const eventFile = join(root, `${name}.event.json`);
      const resultFile = join(root, `${name}.result.json`);
      await writeFile(eventFile, JSON.stringify({ event, context: { ...lambdaContext(name) } }));
      const script = `
        import { readFileSync, writeFileSync } from 'node:fs';
        const [bundle, eventFile, resultFile] = process.argv.slice(1);
        const { event, context } = JSON.parse(readFileSync(eventFile, 'utf8'));
        const { handler } = await import(bundle);
        const result = await handler(event, { ...context, getRemainingTimeInMillis: () => 15000 });
        writeFileSync(resultFile, JSON.stringify(result));
        process.exit(0);`;
      await run(
        process.execPath,
        ['--input-type=module', '-e', script, pathToFileURL(bundles.get(name)!).href, eventFile, resultFile],
        { env: { ...process.env, NODE_OPTIONS: '--no-node-snapshot' }, timeout: 30_000 },
      );
      const response = JSON.parse(
        await (await import('node:fs/promises')).readFile(resultFile, 'utf8'),
      ) as HttpResponse;
      expect(response.statusCode, response.body).toBe(200);
      expect(json(response)).toMatchObject({ status: 'ok', value: 3 });
    },
    60_000,
  );
});
