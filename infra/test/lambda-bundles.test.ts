/**
 * Bundles every route's Lambda (and the `$default` one) with the exact esbuild settings the stack gives CDK, then
 * invokes the bundled files (not the sources) with API Gateway v2 events against the embedded store, the way Lambda
 * would — each function through a proxy that lets it call only the DynamoDB actions the stack grants it
 * (`storeGrants`), so a missing grant fails here rather than as a 500 in production.
 *
 * The run functions and the jobs worker ship the isolated-vm addon built for Lambda's OS (scripts/build-isolated-vm.ts);
 * when it is missing or stale, beforeAll builds it first, which takes minutes. The metrics readers get a fake
 * CloudWatch fed with the EMF lines the functions printed (fake-cloudwatch.ts); the job functions a fake SQS queue
 * (fake-sqs.ts) whose messages the test hands to the bundled worker as SQS events, as Lambda's poller would.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIsolatedVm } from '../scripts/build-isolated-vm.ts';
import { aboveCeilings, versionNeeds } from '../scripts/elf.ts';
import {
  type BuiltBundle,
  bundleLambda,
  bundleRoute,
  bytesFrom,
  ensureShippedArtifacts,
  routeModules,
} from '../scripts/lambda-bundles.ts';
import { type Access, queueGrants, routeKey, routeKeys, type StoreGrants, storeGrants } from '../src/api.ts';
import { jobsWorkerAccess, jobTimeouts } from '../src/jobs.ts';
import { fallbackBundleSettings, jobsWorker, lambdaTarget, shippedAddon, shippedFiles } from '../src/lambda-bundle.ts';
import { forwardedHostHeader, forwardedProtoHeader, isEndpointPath } from '../src/web.ts';
import { type EmfDocument, type FakeCloudWatch, startFakeCloudWatch } from './fake-cloudwatch.ts';
import { type FakeSqs, type SentMessage, sqsEvent, startFakeSqs } from './fake-sqs.ts';
import { type GrantProxy, startGrantProxy } from './grant-proxy.ts';
import { routeSpecs } from './synth.ts';

const run = promisify(execFile);

const tables = {
  acorns: 'bundle-test-acorns',
  identities: 'bundle-test-identities',
  metrics: 'bundle-test-metrics',
  limits: 'bundle-test-limits',
  invocations: 'bundle-test-invocations',
  jobs: 'bundle-test-jobs',
  jobResults: 'bundle-test-job-results',
};
const specOf = (name: string) => routeSpecs.find((spec) => spec.name === name)!;
const runners = routeSpecs.filter((spec) => spec.runsAcorns);
/** The SQS worker: not a route, bundled and shipped as the run functions are. */
const workerName = jobsWorker.name;
/** What the stack lets a function do: its route's declared access, or the worker's. */
const accessOf = (name: string): Access =>
  name === workerName ? jobsWorkerAccess : (routeSpecs.find((spec) => spec.name === name)?.access ?? {});
/** The job routes (`jobs.start`, …), exercised together with the worker in their own test. */
const jobRoutes = routeSpecs.filter((spec) => spec.name.startsWith('jobs.'));
/** The run routes of the JSON API (`POST /api/run`, …), as opposed to the endpoints (`ANY /x/{id}`). */
const apiRunners = runners.filter((spec) => !isEndpointPath(spec.path));
const fallbackName = '$default';
const originSecret = 'bundle-test-origin-secret-0123456789';

type Handler = (event: unknown, context: unknown) => Promise<HttpResponse>;
/** What the worker answers Lambda's poller: the messages to deliver again (aws-lambda's SQSBatchResponse). */
type BatchResponse = { batchItemFailures: { itemIdentifier: string }[] };

describe('Lambda bundles', () => {
  let root: string;
  let store: EmbeddedStore;
  const bundles = new Map<string, BuiltBundle>();
  const proxies = new Map<string, GrantProxy>();
  const handlers = new Map<string, Handler>();
  const savedEnv = { ...process.env };
  let cloudWatch: FakeCloudWatch;
  let sqs: FakeSqs;

  /** The environment the stack gives a function, with its own grant-checking endpoint to the store. */
  const functionEnv = (endpoint: string): Record<string, string> => ({
    AWS_LAMBDA_FUNCTION_NAME: 'squirrelbin-bundle-test',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
    DYNAMODB_ENDPOINT: endpoint,
    ACORNS_TABLE: tables.acorns,
    IDENTITIES_TABLE: tables.identities,
    METRICS_TABLE: tables.metrics,
    LIMITS_TABLE: tables.limits,
    INVOCATIONS_TABLE: tables.invocations,
    JOBS_TABLE: tables.jobs,
    JOB_RESULTS_TABLE: tables.jobResults,
    CORS_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
    CLIENT_IP_HEADER: 'x-squirrelbin-client-ip',
    ORIGIN_SECRET: originSecret,
    ROUTE_KEYS: routeSpecs.flatMap(routeKeys).join(','),
    RUN_WORKERS: '1',
    // The metrics readers' CloudWatch client and the job functions' SQS client (region and credentials as above).
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
  });

  /**
   * What the stack adds for one function beyond `functionEnv`: the endpoint's forwarded headers, the queue's URL to
   * the functions that may send to it.
   */
  const stackEnv = (name: string): Record<string, string> => {
    const spec = routeSpecs.find((route) => route.name === name);
    return {
      ...(spec && isEndpointPath(spec.path)
        ? { FORWARDED_HOST_HEADER: forwardedHostHeader, FORWARDED_PROTO_HEADER: forwardedProtoHeader }
        : {}),
      ...(queueGrants(accessOf(name)).length ? { JOBS_QUEUE_URL: sqs.queueUrl } : {}),
    };
  };
  const stackVariables = ['FORWARDED_HOST_HEADER', 'FORWARDED_PROTO_HEADER', 'JOBS_QUEUE_URL'];
  /** The in-process functions share one process.env: each gets its own `stackEnv` while it loads and runs. */
  const applyStackEnv = (name: string) => {
    for (const variable of stackVariables) delete process.env[variable];
    Object.assign(process.env, stackEnv(name));
  };

  /** Imports a bundle as a fresh execution environment would, with `grants` enforced on its store calls. */
  async function load(name: string, file: string, grants: StoreGrants, tag = ''): Promise<Handler> {
    const proxy = await startGrantProxy({ target: store.endpoint, grants, tables, name: `${name}${tag}` });
    proxies.set(`${name}${tag}`, proxy);
    // The configuration (store endpoint included) is read when the bundle's module is evaluated, as on Lambda.
    Object.assign(process.env, functionEnv(proxy.endpoint));
    applyStackEnv(name);
    const url = `${pathToFileURL(file).href}${tag ? `?${tag}` : ''}`;
    return ((await import(url)) as { handler: Handler }).handler;
  }

  beforeAll(async () => {
    await ensureIsolatedVm();
    await ensureShippedArtifacts();
    cloudWatch = await startFakeCloudWatch(() => emf);
    sqs = await startFakeSqs({
      queueName: 'bundle-test-jobs',
      maySend: (caller) => queueGrants(accessOf(caller)).includes('sqs:SendMessage'),
    });
    root = await mkdtemp(join(tmpdir(), 'squirrelbin-bundles-'));
    const built = await Promise.all([
      ...[...routeSpecs, jobsWorker].map(async (spec) => [spec.name, await bundleRoute(spec, root)] as const),
      (async () => [fallbackName, await bundleLambda(fallbackBundleSettings(), join(root, 'fallback'))] as const)(),
    ]);
    for (const [name, bundle] of built) bundles.set(name, bundle);

    store = await startEmbeddedStore(join(root, 'data'));
    // As on AWS: the tables exist before any function starts, and the functions never create them.
    const admin = await openStore({
      endpoint: store.endpoint,
      dataDir: join(root, 'data'),
      tables,
      createTables: true,
    });
    await admin.close();
    for (const spec of routeSpecs.filter((spec) => !spec.runsAcorns)) {
      handlers.set(spec.name, await load(spec.name, bundles.get(spec.name)!.file, storeGrants(spec)));
    }
    handlers.set(fallbackName, await load(fallbackName, bundles.get(fallbackName)!.file, {}));
    for (const name of [...runners.map((spec) => spec.name), workerName]) {
      // Run functions and the worker are invoked in processes of their own (below); their proxies are started here.
      const proxy = await startGrantProxy({
        target: store.endpoint,
        grants: storeGrants({ access: accessOf(name) }),
        tables,
        name,
      });
      proxies.set(name, proxy);
    }
  }, 15 * 60_000);

  afterAll(async () => {
    process.env = savedEnv;
    await cloudWatch?.close();
    await sqs?.close();
    for (const proxy of proxies.values()) await proxy.close();
    await store?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** EMF documents the handlers printed, as CloudWatch Logs would extract them. */
  const emf: EmfDocument[] = [];
  const collectEmf = (text: string) => {
    for (const line of text.split('\n')) if (line.startsWith('{"_aws"')) emf.push(JSON.parse(line) as EmfDocument);
  };
  const served = new Set<string>();

  /** CloudFront's headers: the origin secret and the viewer's address. */
  const viaCloudFront = { 'x-squirrelbin-origin-secret': originSecret, 'x-squirrelbin-client-ip': '198.51.100.7' };

  function event(routeKeyOrDefault: string, request: Omit<HttpRequest, 'routeKey'> & { method?: string }) {
    const headers = { ...viaCloudFront, ...request.headers };
    if (routeKeyOrDefault !== fallbackName) return httpApiEvent({ ...request, headers, routeKey: routeKeyOrDefault });
    const shaped = httpApiEvent({ ...request, headers, routeKey: `${request.method ?? 'GET'} ${request.path}` });
    return { ...shaped, routeKey: '$default', requestContext: { ...shaped.requestContext, routeKey: '$default' } };
  }

  /** The domain the viewer asked for (CloudFront's viewer-request function copies it into x-forwarded-host). */
  const viewerHost = 'd111111abcdef8.cloudfront.net';

  /**
   * An API Gateway HTTP API (payload 2.0) event for `ANY /x/{id}` or `ANY /x/{id}/{proxy+}`, as it arrives through
   * CloudFront's `/x/*` behavior: the execute-api Host (the viewer's is not forwarded) with the viewer's in
   * x-forwarded-host, CloudFront's and API Gateway's own headers, cookies apart (payload 2.0 takes them out of the
   * headers), and a body base64-encoded when it is not text, as API Gateway does.
   */
  function endpointEvent(request: {
    method: string;
    path: string;
    query?: string;
    headers?: Record<string, string>;
    cookies?: string[];
    body?: Uint8Array | string;
  }) {
    const [, id, proxy] = /^\/x\/([^/]+)(?:\/(.+))?$/.exec(request.path)!;
    const routeKey = proxy === undefined ? 'ANY /x/{id}' : 'ANY /x/{id}/{proxy+}';
    expect(routeKeys(specOf('endpoints.call'))).toContain(routeKey);
    const domainName = 'abc123.execute-api.eu-west-1.amazonaws.com';
    const binary = request.body instanceof Uint8Array;
    const body =
      request.body === undefined
        ? undefined
        : binary
          ? Buffer.from(request.body as Uint8Array).toString('base64')
          : (request.body as string);
    const length =
      request.body === undefined ? undefined : binary ? (request.body as Uint8Array).length : Buffer.byteLength(body!);
    const now = Date.now();
    return {
      version: '2.0',
      routeKey,
      rawPath: request.path,
      rawQueryString: request.query ?? '',
      ...(request.cookies ? { cookies: request.cookies } : {}),
      headers: {
        accept: '*/*',
        host: domainName,
        'user-agent': 'curl/8.5.0',
        via: '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)',
        'x-amz-cf-id': 'Zt1vQ3wW2v3FfS8p1y3xEXAMPLE==',
        'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
        'x-forwarded-for': '198.51.100.7, 130.176.89.12',
        'x-forwarded-port': '443',
        'x-forwarded-proto': 'https',
        'cloudfront-forwarded-proto': 'https',
        [forwardedHostHeader]: viewerHost,
        ...viaCloudFront,
        ...(length === undefined ? {} : { 'content-length': String(length) }),
        ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      },
      ...(request.query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(request.query)) } : {}),
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        domainName,
        domainPrefix: 'abc123',
        http: {
          method: request.method,
          path: request.path,
          protocol: 'HTTP/1.1',
          sourceIp: '130.176.89.12',
          userAgent: 'curl/8.5.0',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: new Date(now).toUTCString(),
        timeEpoch: now,
      },
      pathParameters: proxy === undefined ? { id } : { id, proxy },
      ...(body === undefined ? {} : { body }),
      isBase64Encoded: binary,
    };
  }

  /** Runs `call` with the EMF lines it prints kept out of the test output and collected, as CloudWatch Logs would. */
  async function capturingEmf<T>(call: () => Promise<T>): Promise<T> {
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = chunk.toString();
      if (!text.startsWith('{"_aws"'))
        return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      collectEmf(text);
      return true;
    }) as typeof process.stdout.write;
    try {
      return await call();
    } finally {
      process.stdout.write = write;
    }
  }

  /** Invokes a warm function's handler. */
  async function invoke(name: string, request: Omit<HttpRequest, 'routeKey'> & { method?: string }) {
    const handler = handlers.get(name)!;
    const key =
      name === fallbackName
        ? fallbackName
        : request.method
          ? `${request.method} ${specOf(name).path}`
          : routeKey(specOf(name));
    sqs.caller = name;
    applyStackEnv(name);
    const response = await capturingEmf(() => handler(event(key, request), lambdaContext(name)));
    served.add(name);
    return response;
  }

  /**
   * Invokes a run function (or the worker) in a process of its own, as Lambda does (NODE_OPTIONS and all), events in
   * turn; `remainingMs` is what the context's getRemainingTimeInMillis answers at the start of each (its timeout).
   */
  async function invokeInProcess<Response = HttpResponse>(
    bundle: string,
    name: string,
    events: unknown[],
    options: { remainingMs?: number; timeoutMs?: number } = {},
  ) {
    const eventsFile = join(root, `${name}.${Math.random()}.events.json`);
    const resultFile = `${eventsFile}.result.json`;
    const remainingMs = options.remainingMs ?? 15_000;
    await writeFile(eventsFile, JSON.stringify({ events, context: { ...lambdaContext(name) }, remainingMs }));
    const script = `
      import { readFileSync, writeFileSync } from 'node:fs';
      const ivmLoaded = () => readFileSync('/proc/self/maps', 'utf8').includes('isolated-vm');
      const [bundle, eventsFile, resultFile] = process.argv.slice(1);
      const { events, context, remainingMs } = JSON.parse(readFileSync(eventsFile, 'utf8'));
      const { handler } = await import(bundle);
      const loadedAtInit = ivmLoaded();
      const responses = [];
      for (const event of events) {
        const deadline = Date.now() + remainingMs;
        responses.push(await handler(event, { ...context, getRemainingTimeInMillis: () => deadline - Date.now() }));
      }
      writeFileSync(resultFile, JSON.stringify({ loadedAtInit, loadedAfter: ivmLoaded(), responses }));
      process.exit(0);`;
    sqs.caller = name;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(bundle).href, eventsFile, resultFile],
      {
        env: {
          // Not what the stack gives another function (the in-process ones leave theirs in process.env).
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !stackVariables.includes(key))),
          ...functionEnv(proxies.get(name)!.endpoint),
          ...stackEnv(name),
          NODE_OPTIONS: '--no-node-snapshot',
        },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    // Its EMF lines, as CloudWatch Logs would extract them from the function's log.
    collectEmf(stdout);
    served.add(name);
    return JSON.parse(await readFile(resultFile, 'utf8')) as {
      loadedAtInit: boolean;
      loadedAfter: boolean;
      responses: Response[];
    };
  }

  const json = (response: HttpResponse) =>
    JSON.parse(
      response.isBase64Encoded ? Buffer.from(response.body, 'base64').toString('utf8') : response.body,
    ) as Record<string, unknown>;

  it('bundles each function into one file carrying its own route only, with isolated-vm beside the run bundles', async () => {
    for (const spec of routeSpecs) {
      const bundle = bundles.get(spec.name)!;
      const entries = await readdir(bundle.dir, { recursive: true });
      const addons = entries.filter((entry) => entry.endsWith('.node'));
      if (spec.runsAcorns) {
        expect(addons).toEqual([join('node_modules/isolated-vm', shippedAddon)]);
        expect(entries).toContain('bootstrap.js');
        // The sandbox's scripts and build artifacts (web globals, …) too, wherever shippedArtifacts puts them.
        expect(entries).toContain('web.js');
        expect(entries).toContain('web-globals.js');
        for (const file of shippedFiles(spec)) expect(entries, spec.name).toContain(join(file.to));
      } else {
        // The bundle alone, but for artifacts shipped to every function (none yet).
        const files = (await readdir(bundle.dir, { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => relative(bundle.dir, join(entry.parentPath, entry.name)));
        expect(files.sort()).toEqual(['index.mjs', ...shippedFiles(spec).map((file) => join(file.to))].sort());
      }
      expect((await stat(bundle.file)).size).toBeLessThan(10 * 1024 * 1024);
      // Its own route module only (the OpenAPI document is made of every route's spec), and no zod locale but
      // English (`import * as z`: esbuild cannot tree-shake `import { z }`, which drags in 260 kB of locales).
      const modules = routeModules(bundle.metafile);
      if (spec.name === 'openapi.get') expect(modules.length).toBeGreaterThanOrEqual(routeSpecs.length);
      else
        expect(
          modules.filter((module) => module !== 'index.ts'),
          spec.name,
        ).toHaveLength(1);
      expect(bytesFrom(bundle.metafile, /zod\/v4\/locales\//), spec.name).toBeLessThan(8 * 1024);
    }
    const fallback = bundles.get(fallbackName)!;
    expect(routeModules(fallback.metafile)).toEqual([]);
    expect(await readdir(fallback.dir)).toEqual(['index.mjs']);
    // The worker: a run function's files beside it, no route at all.
    const worker = bundles.get(workerName)!;
    const workerEntries = await readdir(worker.dir, { recursive: true });
    expect(workerEntries.filter((entry) => entry.endsWith('.node'))).toEqual([
      join('node_modules/isolated-vm', shippedAddon),
    ]);
    for (const file of shippedFiles(jobsWorker)) expect(workerEntries, workerName).toContain(join(file.to));
    expect(workerEntries).toEqual(expect.arrayContaining(['bootstrap.js', 'web.js', 'web-globals.js']));
    expect(routeModules(worker.metafile)).toEqual([]);
    expect((await stat(worker.file)).size).toBeLessThan(10 * 1024 * 1024);
    expect(bytesFrom(worker.metafile, /zod\/v4\/locales\//)).toBeLessThan(8 * 1024);
    // The addon shipped is the one for the Node the tests (and Lambda's nodejs24.x) run.
    expect(process.versions.modules).toBe(lambdaTarget.nodeAbi);
  });

  it('ships an isolated-vm addon that needs nothing above Amazon Linux 2023: glibc 2.34, no libstdc++', async () => {
    for (const name of [...runners.map((spec) => spec.name), workerName]) {
      const addon = join(bundles.get(name)!.dir, 'node_modules/isolated-vm', shippedAddon);
      const needs = versionNeeds(addon);
      expect(aboveCeilings(needs), name).toEqual([]);
      // Statically linked C++ runtime: nothing of the system's libstdc++ (GLIBCXX_*, CXXABI_*) or libgcc_s.
      expect(Object.keys(needs).sort()).toEqual(['ld-linux-x86-64.so.2', 'libc.so.6', 'libm.so.6']);
      expect(Object.values(needs).flat()).toContain('GLIBC_2.2.5');
    }
  });

  it('answers every route with a key, each function calling only what the stack grants it', async () => {
    const created = await invoke('identities.create', { path: '/api/identities' });
    expect(created.statusCode, created.body).toBe(201);
    const { key } = json(created) as { key: string };
    expect(key).toMatch(/^sqb_/);
    const auth = { authorization: `Bearer ${key}` };
    const ok = (response: HttpResponse, status: number) => {
      expect(response.statusCode, response.body).toBe(status);
      // API answers are never kept by a cache between client and API (CloudFront's included).
      expect(response.headers['cache-control'], response.body).toMatch(/no-store|private/);
      return response;
    };

    // Routes that never read the identity look no key up: their functions have no read of the identities table.
    ok(await invoke('health', { path: '/api/health', headers: auth }), 200);
    expect(json(ok(await invoke('openapi.get', { path: '/api/openapi.json', headers: auth }), 200)).openapi).toMatch(
      /^3\.1/,
    );
    ok(await invoke('identities.create', { path: '/api/identities', headers: auth }), 201);

    expect(json(ok(await invoke('identities.me', { path: '/api/identities/me', headers: auth }), 200))).toMatchObject({
      admin: false,
    });
    const acorn = ok(
      await invoke('acorns.create', {
        path: '/api/acorns',
        headers: auth,
        body: {
          title: 'Bundled acorn',
          language: 'typescript',
          code: 'const n: number = 1 + 2;\nn',
          visibility: 'public',
        },
      }),
      201,
    );
    const { id } = json(acorn) as { id: string };
    expect(acorn.headers.location).toBe(`/api/acorns/${id}`);
    expect(acorn.headers.etag).toBe('"1"');
    const mine = ok(await invoke('acorns.list', { path: '/api/acorns', query: { mine: 'true' }, headers: auth }), 200);
    expect((json(mine).items as { id: string }[]).map((item) => item.id)).toEqual([id]);
    const everyone = ok(await invoke('acorns.list', { path: '/api/acorns', query: { limit: '10' } }), 200);
    expect((json(everyone).items as { id: string }[]).map((item) => item.id)).toContain(id);
    expect(json(ok(await invoke('acorns.get', { path: `/api/acorns/${id}`, headers: auth }), 200))).toMatchObject({
      id,
      title: 'Bundled acorn',
    });
    const missing = await invoke('acorns.get', { path: '/api/acorns/no-such-acorn-here', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    ok(
      await invoke('acorns.update', {
        path: `/api/acorns/${id}`,
        headers: { ...auth, 'if-match': '"1"' },
        body: { title: 'Renamed' },
      }),
      200,
    );
    const revisions = ok(await invoke('revisions.list', { path: `/api/acorns/${id}/revisions`, headers: auth }), 200);
    expect((json(revisions).items as { version: number }[]).map((item) => item.version)).toEqual([1]);
    ok(await invoke('revisions.get', { path: `/api/acorns/${id}/revisions/1`, headers: auth }), 200);
    const fork = ok(await invoke('acorns.fork', { path: `/api/acorns/${id}/fork`, headers: auth }), 201);
    const metrics = await invoke('admin.metrics', { path: '/api/admin/metrics', headers: auth });
    expect(metrics.statusCode).toBe(403);
    expect(metrics.headers['content-type']).toMatch(/^application\/problem\+json/);
    // An acorn's own calls and traffic, its owner's view (this one is no endpoint: nothing recorded, zeros).
    const invocations = ok(
      await invoke('invocations.list', { path: `/api/acorns/${id}/invocations`, headers: auth }),
      200,
    );
    expect(json(invocations)).toEqual({ items: [], nextCursor: null });
    const traffic = ok(await invoke('acorns.metrics', { path: `/api/acorns/${id}/metrics`, headers: auth }), 200);
    expect((json(traffic).endpoints as { endpoint: string }[]).map((series) => series.endpoint)).toEqual([
      `acorn:${id}`,
    ]);
    expect(cloudWatch.calls).toContain('ListMetrics');

    // The run functions, in processes of their own, with the key too.
    const runCode = await invokeInProcess(bundles.get('run.code')!.file, 'run.code', [
      event(routeKey(specOf('run.code')), {
        path: '/api/run',
        headers: auth,
        body: { language: 'javascript', code: '1 + 2' },
      }),
    ]);
    expect(json(ok(runCode.responses[0]!, 200))).toMatchObject({ status: 'ok', value: 3 });
    const runAcorn = await invokeInProcess(bundles.get('acorns.run')!.file, 'acorns.run', [
      event(routeKey(specOf('acorns.run')), { path: `/api/acorns/${id}/run`, headers: auth }),
    ]);
    expect(json(ok(runAcorn.responses[0]!, 200))).toMatchObject({ status: 'ok', value: 3 });
    // The endpoint function: this acorn is no endpoint, so nothing is served (the endpoint tests call real ones).
    const notServed = await invokeInProcess(bundles.get('endpoints.call')!.file, 'endpoints.call', [
      endpointEvent({ method: 'GET', path: `/x/${id}`, headers: auth }),
    ]);
    expect(notServed.responses[0]!.statusCode).toBe(404);

    ok(await invoke('acorns.delete', { path: `/api/acorns/${(json(fork) as { id: string }).id}`, headers: auth }), 204);
    ok(await invoke('acorns.delete', { path: `/api/acorns/${id}`, headers: auth }), 204);

    // Every route but the modules list and the job routes, which have their own tests below.
    expect([...served].filter((name) => name !== fallbackName).sort()).toEqual(
      routeSpecs
        .map((s) => s.name)
        .filter((name) => name !== 'modules.list' && !jobRoutes.some((spec) => spec.name === name))
        .sort(),
    );
    const denied = [...proxies].flatMap(([name, proxy]) => proxy.denied.map((call) => `${name}: ${call}`));
    expect(denied).toEqual([]);
    // Each function did use its store through its proxy (the check is not vacuous).
    expect(proxies.get('acorns.get')!.allowed).toContain('dynamodb:GetItem on identities');
  }, 120_000);

  // The stack ships `modules/manifest.json` (and, to run functions, `modules/*.js`) beside every bundle
  // (shippedArtifacts); @squirrelbin/modules looks there when it is not in the repository.
  it('answers GET /api/modules from its bundle, with the manifest shipped beside it', async () => {
    const modules = await invoke('modules.list', { path: '/api/modules' });
    expect(modules.statusCode, modules.body).toBe(200);
    expect((json(modules).items as { name: string }[]).map((item) => item.name)).toContain('zod');
    expect(proxies.get('modules.list')!.denied).toEqual([]);
  });

  it('refuses, as IAM would, a store call the function was not granted', async () => {
    // acorns.get without the identities read its route declares: a key's lookup is refused, the request is a 500.
    const { identities: _, ...withoutIdentities } = storeGrants(specOf('acorns.get'));
    const handler = await load('acorns.get', bundles.get('acorns.get')!.file, withoutIdentities, 'no-identities');
    const identity = json(await invoke('identities.create', { path: '/api/identities' })) as { key: string };
    const request = httpApiEvent({
      routeKey: routeKey(specOf('acorns.get')),
      path: '/api/acorns/no-such-acorn-here',
      headers: { ...viaCloudFront, authorization: `Bearer ${identity.key}` },
    });
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const response = await capturingEmf(() => handler(request, lambdaContext('acorns.get')));
      expect(response.statusCode).toBe(500);
    } finally {
      console.error = error;
    }
    expect(proxies.get('acorns.getno-identities')!.denied).toEqual(['dynamodb:GetItem on identities']);
    expect(JSON.stringify(errors)).toContain('AccessDenied');
  });

  it('answers HEAD from the GET route, as the local server does', async () => {
    const head = await invoke('health', { method: 'HEAD', path: '/api/health' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['x-request-id']).toBeTruthy();
  });

  it('answers what no route matched ($default) with the app’s problem+json 404 and 405, touching no store', async () => {
    const unknown = await invoke(fallbackName, { path: '/api/nothing-here', headers: { authorization: 'Bearer x' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(unknown)).toMatchObject({ status: 404, type: 'urn:squirrelbin:problem:route-not-found' });
    expect(unknown.headers['x-request-id']).toBeTruthy();

    const wrongMethod = await invoke(fallbackName, { method: 'PUT', path: '/api/acorns/abcdefghijklmnop', body: {} });
    expect(wrongMethod.statusCode).toBe(405);
    expect(json(wrongMethod)).toMatchObject({ status: 405, type: 'urn:squirrelbin:problem:method-not-allowed' });
    expect(wrongMethod.headers.allow).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');

    // `/x` and `/x/` match no endpoint route (CloudFront's `/x` behavior sends the first here): the app's 404,
    // sandboxed like every /x answer, never the SPA.
    for (const path of ['/x', '/x/']) {
      const bare = await invoke(fallbackName, { method: 'GET', path });
      expect(bare.statusCode, path).toBe(404);
      expect(bare.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bare.headers['content-security-policy']).toMatch(/^sandbox /);
      expect(bare.headers['x-content-type-options']).toBe('nosniff');
    }

    const post = await invoke(fallbackName, { method: 'POST', path: '/api/health' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');

    const headUnknown = await invoke(fallbackName, { method: 'HEAD', path: '/api/nothing-here' });
    expect(headUnknown.statusCode).toBe(404);
    expect(headUnknown.body).toBe('');

    // Around CloudFront (no origin secret): 403, as every other function answers.
    const direct = await handlers.get(fallbackName)!(
      {
        ...event(fallbackName, { path: '/api/nothing-here' }),
        headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
      },
      lambdaContext(fallbackName),
    );
    expect(direct.statusCode).toBe(403);

    const calls = proxies.get(fallbackName)!;
    expect([...calls.allowed, ...calls.denied]).toEqual([]);
  });

  /** Makes acorns through the bundled create route, for one owner. */
  async function endpointAcorns(codes: Record<string, { code: string; endpoint?: boolean; visibility?: string }>) {
    const identity = json(await invoke('identities.create', { path: '/api/identities' })) as { key: string };
    const auth = { authorization: `Bearer ${identity.key}` };
    const ids: Record<string, string> = {};
    for (const [name, acorn] of Object.entries(codes)) {
      const created = await invoke('acorns.create', {
        path: '/api/acorns',
        headers: auth,
        body: {
          title: `Endpoint ${name}`,
          language: 'javascript',
          code: acorn.code,
          visibility: acorn.visibility ?? 'public',
          endpoint: acorn.endpoint ?? true,
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      ids[name] = (json(created) as { id: string }).id;
    }
    return { auth, ids };
  }

  /** What every /x answer carries (DESIGN.md, "Endpoints"), whoever wrote it. */
  function expectSandboxed(response: HttpResponse) {
    expect(response.headers['content-security-policy']).toBe(
      'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads',
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((response as { cookies?: unknown }).cookies).toBeUndefined();
  }

  it('serves endpoints from the bundle: 404s, 413, a failing acorn’s 502, its invocation record and its metrics', async () => {
    const { auth, ids } = await endpointAcorns({
      // Fails while loading, so it fails whichever way the sandbox calls it.
      thrower: { code: "console.log('called');\nthrow new Error('nut cracked');" },
      plain: { code: 'export default () => "plain"', endpoint: false },
      hidden: { code: 'export default () => "secret"', visibility: 'private' },
    });
    const result = await invokeInProcess(bundles.get('endpoints.call')!.file, 'endpoints.call', [
      endpointEvent({ method: 'DELETE', path: `/x/${ids.thrower}/c`, query: 'boom=1' }),
      endpointEvent({ method: 'GET', path: `/x/${ids.plain}` }),
      endpointEvent({ method: 'GET', path: `/x/${ids.hidden}/deep/path` }),
      endpointEvent({ method: 'GET', path: '/x/not!an!id' }),
      endpointEvent({
        method: 'POST',
        path: `/x/${ids.thrower}`,
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(1024 * 1024 + 1),
      }),
    ]);
    // The sandbox (and isolated-vm) only once an acorn runs, not at init.
    expect(result.loadedAtInit).toBe(false);
    expect(result.loadedAfter).toBe(true);
    const [failed, plain, hidden, malformed, tooLarge] = result.responses as [
      HttpResponse,
      HttpResponse,
      HttpResponse,
      HttpResponse,
      HttpResponse,
    ];

    expect(failed.statusCode, failed.body).toBe(502);
    expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(failed.headers['x-run-status']).toBe('error');
    expect(Number(failed.headers['x-run-wall-ms'])).toBeGreaterThanOrEqual(0);
    expect(json(failed)).toMatchObject({
      status: 502,
      type: 'urn:squirrelbin:problem:endpoint-failed',
      runStatus: 'error',
    });
    expect(String(json(failed).detail)).toContain('nut cracked');
    expectSandboxed(failed);
    for (const response of [plain, hidden, malformed]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(response).type).toBe('urn:squirrelbin:problem:endpoint-not-found');
      expectSandboxed(response);
    }
    expect(tooLarge.statusCode, tooLarge.body).toBe(413);
    expectSandboxed(tooLarge);

    // The record was written before the function answered (deps.settle), through the grants the stack gives.
    const calls = proxies.get('endpoints.call')!;
    expect(calls.denied).toEqual([]);
    expect(calls.allowed).toContain('dynamodb:BatchWriteItem on invocations');
    expect(calls.allowed).toContain('dynamodb:UpdateItem on limits');
    const list = await invoke('invocations.list', { path: `/api/acorns/${ids.thrower}/invocations`, headers: auth });
    expect(list.statusCode, list.body).toBe(200);
    const items = (json(list) as { items: Record<string, unknown>[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      acornId: ids.thrower,
      acornVersion: 1,
      method: 'DELETE',
      path: '/c',
      query: 'boom=1',
      status: 502,
      runStatus: 'error',
      error: { message: 'nut cracked' },
    });
    expect((items[0]!.logs as { message: string }[]).map((entry) => entry.message)).toEqual(['called']);
    expect(proxies.get('invocations.list')!.denied).toEqual([]);

    // Its traffic, from the EMF lines the function printed (the fake CloudWatch adds them up as CloudWatch would).
    const own = emf.filter((document) => document[endpointDimension] === `acorn:${ids.thrower}`);
    expect(own.length).toBeGreaterThan(0);
    const traffic = await invoke('acorns.metrics', {
      path: `/api/acorns/${ids.thrower}/metrics`,
      query: { step: '1m' },
      headers: auth,
    });
    expect(traffic.statusCode, traffic.body).toBe(200);
    const series = (json(traffic) as { endpoints: { endpoint: string; totals: Record<string, unknown> }[] }).endpoints;
    expect(series.map((s) => s.endpoint)).toEqual([`acorn:${ids.thrower}`]);
    const requests = own.reduce((sum, document) => sum + (document[metricNames.requests] as number), 0);
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(series[0]!.totals).toMatchObject({ count: requests, status5xx: 1 });
    expect(series[0]!.totals.outcomes).toMatchObject({ error: 1 });
    expect(cloudWatch.calls).toContain('GetMetricData');
  }, 120_000);

  it('gives an endpoint acorn the request as the client sent it, and the client its Response (binary both ways)', async () => {
    const { ids } = await endpointAcorns({
      echo: {
        code: `export default async (request) => {
  const url = new URL(request.url);
  const bytes = new Uint8Array(await request.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const headers = {};
  request.headers.forEach((value, name) => { headers[name] = value; });
  return Response.json({ method: request.method, url: request.url, path: url.pathname, query: url.search, headers, body: btoa(binary) });
};`,
      },
      bytes: {
        code: `export default () => {
  const out = new Uint8Array(256);
  for (let i = 0; i < 256; i++) out[i] = 255 - i;
  const headers = new Headers({ 'content-type': 'application/octet-stream', 'x-nut': 'hazel', 'content-security-policy': 'default-src *', 'x-content-type-options': 'sniff' });
  headers.append('set-cookie', 'session=stolen; Path=/');
  return new Response(out, { status: 201, headers });
};`,
      },
      // Bytes that are not UTF-8, with no content type and with a text one: they must arrive as sent.
      untyped: { code: `export default () => new Response(new Uint8Array([0xff, 0xfe, 0x00, 0x80]))` },
      latin: {
        code: `export default () => new Response(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), { headers: { 'content-type': 'text/plain; charset=latin1' } })`,
      },
    });
    const sent = Uint8Array.from({ length: 256 }, (_, i) => i);
    const result = await invokeInProcess(bundles.get('endpoints.call')!.file, 'endpoints.call', [
      endpointEvent({
        method: 'PUT',
        path: `/x/${ids.echo}/users/7`,
        query: 'q=nut&x=1',
        headers: { 'x-custom': 'acorn', 'content-type': 'application/octet-stream' },
        cookies: ['a=1', 'b=2'],
        body: sent,
      }),
      endpointEvent({ method: 'GET', path: `/x/${ids.echo}` }),
      endpointEvent({ method: 'GET', path: `/x/${ids.bytes}/file.bin` }),
      endpointEvent({ method: 'GET', path: `/x/${ids.untyped}` }),
      endpointEvent({ method: 'GET', path: `/x/${ids.latin}` }),
    ]);
    const [echoed, root, bytes, untyped, latin] = result.responses as HttpResponse[] as [
      HttpResponse,
      HttpResponse,
      HttpResponse,
      HttpResponse,
      HttpResponse,
    ];
    for (const [response, expected] of [
      [untyped, [0xff, 0xfe, 0x00, 0x80]],
      [latin, [0x63, 0x61, 0x66, 0xe9]],
    ] as const) {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.isBase64Encoded).toBe(true);
      expect([...Buffer.from(response.body, 'base64')]).toEqual(expected);
    }

    expect(echoed.statusCode, echoed.body).toBe(200);
    expect(echoed.headers['content-type']).toMatch(/^application\/json/);
    expect(echoed.headers['x-run-status']).toBe('ok');
    expect(Number(echoed.headers['x-run-wall-ms'])).toBeGreaterThanOrEqual(0);
    expectSandboxed(echoed);
    const seen = json(echoed) as { headers: Record<string, string> } & Record<string, unknown>;
    expect(seen).toMatchObject({
      method: 'PUT',
      // The URL the client used (CloudFront's domain, https), not the execute-api one.
      url: `https://${viewerHost}/x/${ids.echo}/users/7?q=nut&x=1`,
      path: `/x/${ids.echo}/users/7`,
      query: '?q=nut&x=1',
      body: Buffer.from(sent).toString('base64'),
    });
    expect(seen.headers).toMatchObject({
      'x-custom': 'acorn',
      'content-type': 'application/octet-stream',
      cookie: 'a=1; b=2',
    });
    // Only the CDN's own headers are kept from the acorn.
    expect(seen.headers['x-squirrelbin-origin-secret']).toBeUndefined();
    expect(seen.headers[forwardedHostHeader]).toBeUndefined();
    expect(seen.headers[forwardedProtoHeader]).toBeUndefined();

    expect(root.statusCode, root.body).toBe(200);
    expect(json(root)).toMatchObject({ method: 'GET', url: `https://${viewerHost}/x/${ids.echo}`, body: '' });

    expect(bytes.statusCode, bytes.body).toBe(201);
    expect(bytes.isBase64Encoded).toBe(true);
    expect([...Buffer.from(bytes.body, 'base64')]).toEqual([...sent].map((byte) => 255 - byte));
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect(bytes.headers['x-nut']).toBe('hazel');
    expect(bytes.headers['x-run-status']).toBe('ok');
    // The acorn can neither set cookies nor weaken the sandbox.
    expectSandboxed(bytes);
    expect(proxies.get('endpoints.call')!.denied).toEqual([]);
  }, 120_000);

  it('emits the EMF metrics the alarms and dashboard read', () => {
    expect(emf.length).toBeGreaterThan(0);
    for (const document of emf) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive).toMatchObject({ Namespace: metricsNamespace, Dimensions: [[endpointDimension]] });
      // A route's name, or an endpoint acorn's own series (`acorn:{id}`, its owner's metrics).
      const endpoint = String(document[endpointDimension]);
      if (!endpoint.startsWith('acorn:')) expect(routeSpecs.map((spec) => spec.name)).toContain(endpoint);
    }
    const first = emf[0] as unknown as Record<string, unknown>;
    for (const name of [metricNames.requests, metricNames.status4xx, metricNames.status5xx, metricNames.latency]) {
      expect(first).toHaveProperty(name);
    }
  });

  it.each(apiRunners.map((spec) => spec.name))(
    'loads isolated-vm in %s on the first run, not at init, and runs errors and timeouts through it',
    async (name) => {
      let path = '/api/run';
      const body = (code: string) => (name === 'run.code' ? { language: 'javascript', code } : undefined);
      const spec: RouteSpec = specOf(name);
      const codes = ['1 + 2', 'throw new TypeError("boom")', 'for (;;) {}'];
      const events = [];
      for (const code of codes) {
        if (name !== 'run.code') {
          const identity = json(await invoke('identities.create', { path: '/api/identities' })) as { key: string };
          const created = await invoke('acorns.create', {
            path: '/api/acorns',
            headers: { authorization: `Bearer ${identity.key}` },
            body: { title: 'Run me', language: 'javascript', code, visibility: 'public' },
          });
          path = spec.path.replace('{id}', (json(created) as { id: string }).id);
        }
        events.push(event(routeKey(spec), { path, body: body(code) }));
      }
      const result = await invokeInProcess(bundles.get(name)!.file, name, events);
      expect(result.loadedAtInit).toBe(false);
      expect(result.loadedAfter).toBe(true);
      const [sum, thrown, endless] = result.responses.map((response) => {
        expect(response.statusCode, response.body).toBe(200);
        return json(response);
      });
      expect(sum).toMatchObject({ status: 'ok', value: 3 });
      expect(thrown).toMatchObject({ status: 'error', error: { name: 'TypeError', message: 'boom' } });
      expect(endless).toMatchObject({ status: 'timeout' });
      expect(proxies.get(name)!.denied).toEqual([]);
    },
    120_000,
  );

  it('imports modules of the set in the bundled run function, from the artifacts shipped beside it', async () => {
    const spec = specOf('run.code');
    const code = (text: string) =>
      event(routeKey(spec), { path: '/api/run', body: { language: 'javascript', code: text } });
    const result = await invokeInProcess(bundles.get('run.code')!.file, 'run.code', [
      code(`import { z } from 'zod';\nz.object({ n: z.number() }).parse({ n: 41 }).n + 1`),
      code(`const { chunk } = await import('lodash-es');\nchunk([1, 2, 3], 2)`),
      code(`import fs from 'node:fs';\nfs`),
    ]);
    const [zod, lodash, refused] = result.responses.map((response) => {
      expect(response.statusCode, response.body).toBe(200);
      return json(response);
    });
    expect(zod).toMatchObject({ status: 'ok', value: 42 });
    expect(lodash).toMatchObject({ status: 'ok', value: [[1, 2], [3]] });
    expect(refused).toMatchObject({ status: 'error' });
    expect(JSON.stringify(refused)).toContain('node:fs');
  }, 120_000);

  it('answers a run with a 500 problem, not a failed init, when the addon cannot load', async () => {
    const broken = join(root, 'run-code-broken-addon');
    await cp(bundles.get('run.code')!.dir, broken, { recursive: true });
    await writeFile(join(broken, 'node_modules/isolated-vm', shippedAddon), 'not an ELF file');
    const ping = event(routeKey(specOf('run.code')), { path: '/api/run', body: { language: 'javascript', code: '1' } });
    const result = await invokeInProcess(join(broken, 'index.mjs'), 'run.code', [ping, ping]);
    expect(result.loadedAtInit).toBe(false);
    for (const response of result.responses) {
      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(response).detail).toMatch(/sandbox could not start/);
    }
  }, 60_000);

  /**
   * Hands every message sent since `from` to the bundled worker, one SQS event each (batch size 1, as the event source
   * is configured), a round per process as a fresh execution environment would take them, until a round sends nothing
   * new. What the worker answers is kept: a message it reports in `batchItemFailures` would come back.
   */
  async function drainJobQueue(from: number) {
    const { workerTimeoutSeconds } = jobTimeouts(10_000);
    const delivered: { message: SentMessage; response: BatchResponse }[] = [];
    let next = from;
    for (let round = 0; round < 40; round++) {
      const pending = sqs.messages.slice(next);
      if (pending.length === 0) return delivered;
      next = sqs.messages.length;
      // A message sent with a delay is delivered once it is due.
      const due = Math.max(...pending.map((message) => message.sentAt + message.delaySeconds * 1000));
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const result = await invokeInProcess<BatchResponse>(
        bundles.get(workerName)!.file,
        workerName,
        pending.map((message) => sqsEvent(sqs, message)),
        { remainingMs: workerTimeoutSeconds * 1000, timeoutMs: 120_000 },
      );
      delivered.push(...pending.map((message, i) => ({ message, response: result.responses[i]! })));
    }
    throw new Error('the jobs queue never drained');
  }

  it('runs a job through the queue: jobs.start sends its lanes, the bundled worker runs them and sends the next steps', async () => {
    // Private, and imported: the worker resolves the job's imports with its creator's access, not as anyone.
    const { auth, ids } = await endpointAcorns({
      helper: { code: 'export const twice = (n) => n * 2;', visibility: 'private', endpoint: false },
    });
    const created = await invoke('acorns.create', {
      path: '/api/acorns',
      headers: auth,
      body: {
        title: 'Doubler',
        language: 'javascript',
        code: `import { twice } from 'acorn:${ids.helper}';\nexport default (input) => {\n  if (input === 'boom') throw new Error('cracked');\n  return twice(input);\n};`,
        visibility: 'private',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (json(created) as { id: string }).id;
    const inputs = [1, 2, 3, 'boom', 5, 6, 7];
    const before = sqs.messages.length;
    const started = await invoke('jobs.start', {
      path: `/api/acorns/${id}/jobs`,
      headers: auth,
      body: { kind: 'batch', inputs, concurrency: 2 },
    });
    expect(started.statusCode, started.body).toBe(202);
    const job = json(started) as { id: string; status: string; total: number };
    expect(started.headers.location).toBe(`/api/jobs/${job.id}`);
    expect(job).toMatchObject({ status: 'queued', total: inputs.length, kind: 'batch', acornId: id });

    // One message per lane, from the start route, each a JobQueueMessage at position 0.
    const first = sqs.messages.slice(before);
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first.length).toBeLessThanOrEqual(2);
    for (const message of first) expect(message.sender).toBe('jobs.start');
    const steps = first.map((message) => JSON.parse(message.body) as { jobId: string; lane: number; position: number });
    expect(steps.map((step) => step.lane).sort()).toEqual(first.map((_, lane) => lane));
    for (const step of steps) expect(step).toEqual({ jobId: job.id, lane: step.lane, position: 0 });

    const delivered = await drainJobQueue(before);
    for (const { message, response } of delivered) expect(response, message.body).toEqual({ batchItemFailures: [] });
    // The worker sent each lane's next steps itself (JOBS_QUEUE_URL and SendMessage are its own).
    const followUps = sqs.messages.slice(before + first.length);
    for (const message of followUps) expect(message.sender).toBe(workerName);

    const got = await invoke('jobs.get', { path: `/api/jobs/${job.id}`, headers: auth });
    expect(got.statusCode, got.body).toBe(200);
    const finished = json(got) as {
      counts: Record<'ok' | 'error' | 'timeout' | 'memory' | 'killed', number>;
      errors: { iteration: number; name: string; message: string }[];
    } & Record<string, unknown>;
    expect(finished).toMatchObject({ id: job.id, status: 'succeeded', total: inputs.length, done: inputs.length });
    expect(finished.finishedAt).toEqual(expect.any(String));
    // Every iteration counted once. The acorn itself is instant, but on a machine busy enough an iteration can run
    // past the 1 s default deadline: a timeout is a recorded outcome like any other, not a failure of the machinery.
    const { counts } = finished;
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(inputs.length);
    expect(counts).toMatchObject({ error: 1, memory: 0, killed: 0 });
    expect(counts.ok).toBeGreaterThan(0);
    expect(finished.errors).toContainEqual({ iteration: 3, name: 'Error', message: 'cracked' });

    const results = await invoke('jobs.results', { path: `/api/jobs/${job.id}/results`, headers: auth });
    expect(results.statusCode, results.body).toBe(200);
    const items = (json(results) as { items: { iteration: number; status: string; value?: unknown }[] }).items;
    expect(items.map((item) => item.iteration)).toEqual(inputs.map((_, i) => i));
    expect(items.filter((item) => item.status === 'ok')).toHaveLength(counts.ok);
    for (const item of items.filter((item) => item.status === 'ok')) {
      expect(item.value).toBe((inputs[item.iteration] as number) * 2);
    }
    expect(items[3]).toMatchObject({ status: 'error' });

    const list = await invoke('jobs.list', { path: `/api/acorns/${id}/jobs`, headers: auth });
    expect(list.statusCode, list.body).toBe(200);
    expect((json(list) as { items: { id: string }[] }).items.map((item) => item.id)).toContain(job.id);

    // On AWS the HTTP API buffers: a finished job's stream arrives at once, its progress and then `done`.
    const events = await invoke('jobs.events', {
      path: `/api/jobs/${job.id}/events`,
      headers: { ...auth, accept: 'text/event-stream' },
    });
    expect(events.statusCode, events.body).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const stream = events.isBase64Encoded ? Buffer.from(events.body, 'base64').toString('utf8') : events.body;
    expect(stream).toMatch(/^event: done$/m);

    // At-least-once delivery: a step delivered again (its lane moved on) is dropped, not run twice nor retried.
    const sentBefore = sqs.messages.length;
    const again = await invokeInProcess<BatchResponse>(bundles.get(workerName)!.file, workerName, [
      sqsEvent(sqs, first[0]!, 2),
    ]);
    expect(again.responses).toEqual([{ batchItemFailures: [] }]);
    expect(sqs.messages.length).toBe(sentBefore);
    const reread = json(await invoke('jobs.get', { path: `/api/jobs/${job.id}`, headers: auth }));
    expect(reread).toMatchObject({ status: 'succeeded', done: inputs.length });
    const rereadResults = json(await invoke('jobs.results', { path: `/api/jobs/${job.id}/results`, headers: auth }));
    expect((rereadResults as { items: unknown[] }).items).toHaveLength(inputs.length);

    // Cancelling a finished job changes nothing.
    const cancelled = await invoke('jobs.cancel', { method: 'DELETE', path: `/api/jobs/${job.id}`, headers: auth });
    expect(cancelled.statusCode, cancelled.body).toBe(204);

    const denied = [...proxies]
      .filter(([name]) => name === workerName || name.startsWith('jobs.'))
      .flatMap(([name, proxy]) => proxy.denied.map((call) => `${name}: ${call}`));
    expect(denied).toEqual([]);
    expect(sqs.denied).toEqual([]);
    // The worker did record results and read the imported acorn through its grants (the check is not vacuous).
    const worker = proxies.get(workerName)!.allowed;
    expect(worker).toContain('dynamodb:PutItem on jobResults');
    expect(worker.some((call) => call.endsWith(' on acorns'))).toBe(true);
  }, 600_000);

  it('stops a cancelled job: its queued steps end without running the rest', async () => {
    const { auth, ids } = await endpointAcorns({
      counter: { code: 'export default (input) => input + 1;', visibility: 'private', endpoint: false },
    });
    const before = sqs.messages.length;
    const started = await invoke('jobs.start', {
      path: `/api/acorns/${ids.counter}/jobs`,
      headers: auth,
      body: { kind: 'load', iterations: 40, concurrency: 2, input: 1 },
    });
    expect(started.statusCode, started.body).toBe(202);
    const job = json(started) as { id: string };
    const cancelled = await invoke('jobs.cancel', { method: 'DELETE', path: `/api/jobs/${job.id}`, headers: auth });
    expect(cancelled.statusCode, cancelled.body).toBe(202);
    for (const { message, response } of await drainJobQueue(before)) {
      expect(response, message.body).toEqual({ batchItemFailures: [] });
    }
    const got = json(await invoke('jobs.get', { path: `/api/jobs/${job.id}`, headers: auth }));
    expect(got).toMatchObject({ status: 'cancelled', done: 0 });
    // Its active slot was given back: the identity may start two more.
    for (let i = 0; i < 2; i++) {
      const next = await invoke('jobs.start', {
        path: `/api/acorns/${ids.counter}/jobs`,
        headers: auth,
        body: { kind: 'load', iterations: 1, concurrency: 1 },
      });
      expect(next.statusCode, next.body).toBe(202);
    }
    expect(sqs.denied).toEqual([]);
  }, 300_000);

  it('drops a message that is no job step, logging it, rather than failing it until it reaches the dead letters', async () => {
    const sentBefore = sqs.messages.length;
    const malformed: SentMessage = {
      messageId: randomUUID(),
      body: 'not a job step',
      delaySeconds: 0,
      sender: 'someone',
      sentAt: Date.now(),
    };
    const unknownJob: SentMessage = {
      ...malformed,
      messageId: randomUUID(),
      body: JSON.stringify({ jobId: 'no-such-job-here', lane: 0, position: 0 }),
    };
    const result = await invokeInProcess<BatchResponse>(bundles.get(workerName)!.file, workerName, [
      sqsEvent(sqs, malformed),
      sqsEvent(sqs, unknownJob),
    ]);
    expect(result.responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(sqs.messages.length).toBe(sentBefore);
    expect(proxies.get(workerName)!.denied).toEqual([]);
  }, 120_000);

  it('gives the job routes and the worker only what the stack grants them', () => {
    // Every job route was served, through its grants; only the start route and the worker sent to the queue.
    expect(jobRoutes.map((spec) => spec.name).sort()).toEqual(
      ['jobs.cancel', 'jobs.events', 'jobs.get', 'jobs.list', 'jobs.results', 'jobs.start'].sort(),
    );
    for (const spec of jobRoutes) expect(served, spec.name).toContain(spec.name);
    expect(served).toContain(workerName);
    expect([...new Set(sqs.messages.map((message) => message.sender))].sort()).toEqual(['jobs.start', workerName]);
    const denied = [...proxies].flatMap(([name, proxy]) => proxy.denied.map((call) => `${name}: ${call}`));
    // The one refusal another test provokes on purpose.
    expect(denied).toEqual(['acorns.getno-identities: dynamodb:GetItem on identities']);
    expect(sqs.denied).toEqual([]);
  });
});
