/**
 * `npm run bench:lambda`: what each deployed Lambda costs to start and to answer warm, and what metrics add.
 *
 * Every route is bundled with the stack's esbuild settings (as infra/test/lambda-bundles.test.ts does) and run in
 * fresh child processes, each a new execution environment, against one embedded store served by this process. Per
 * round, two environments of the same bundle start side by side, one with metrics on and one with `METRICS=off`,
 * and are invoked in turn with API Gateway v2 events, so both see the same machine load. A child times the bundle's
 * import (init), the first invocation (it connects to the store) and the warm ones; its stdout (the EMF lines Lambda
 * ships to CloudWatch Logs) is drained and counted. The table shows medians over the rounds and the warm
 * percentiles over all of them. Goal: metrics add ≤ 1 ms to the warm p50.
 *
 * BENCH_ROUNDS (default 3), BENCH_ITERATIONS (warm invocations per environment and round, default 300),
 * BENCH_ROUTES (comma-separated endpoint names, default all).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleRoute } from '@squirrelbin/infra/bundles';
import { defaultTableNames, openStore, type Store, startEmbeddedStore } from '@squirrelbin/store';
import type { RouteSpec } from '../src/route.ts';
import { type HttpRequest, type HttpResponse, httpApiEvent, lambdaContext } from '../test/api-gateway-event.ts';

/** What a child is asked to do: import one bundle, then invoke it with these requests (cycled) when told. */
interface ChildTask {
  name: string;
  bundle: string;
  requests: HttpRequest[];
}

type ParentMessage = { invoke: number } | { exit: true };

/** One execution environment: reports its init time, then times each invocation it is asked for. */
async function runChild(task: ChildTask): Promise<void> {
  const began = performance.now();
  const { handler } = (await import(pathToFileURL(task.bundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<HttpResponse>;
  };
  process.send!({ initMs: performance.now() - began });
  process.on('message', async (message: ParentMessage) => {
    if ('exit' in message) process.exit(0);
    const event = httpApiEvent(task.requests[message.invoke % task.requests.length]!);
    const context = lambdaContext(task.name);
    const start = performance.now();
    const response = await handler(event, context);
    process.send!({ ms: performance.now() - start, status: response.statusCode });
  });
}

/** Acorns and a key to invoke the routes with, made straight in the store. */
async function seed(store: Store) {
  const identity = await store.identities.create();
  const acorn = await store.acorns.create({
    title: 'bench',
    description: '',
    language: 'javascript',
    code: 'export default (input) => input.a + input.b',
    visibility: 'public',
    ownerId: identity.id,
  });
  // A second version, so there is a revision to read.
  await store.acorns.update(acorn.id, 1, { description: 'revised' });
  return { key: identity.key, id: acorn.id, ownerId: identity.id };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** The requests one child sends to a route: valid ones, answered as the route's common case. */
async function requestsFor(spec: RouteSpec, seeded: Seeded, store: Store, count: number): Promise<HttpRequest[]> {
  const routeKey = `${spec.method.toUpperCase()} ${spec.path}`;
  const auth = { authorization: `Bearer ${seeded.key}` };
  const acornPath = `/api/acorns/${seeded.id}`;
  const one = (request: Omit<HttpRequest, 'routeKey'>) => [{ routeKey, ...request }];
  switch (spec.name) {
    case 'acorns.get':
      return one({ path: acornPath });
    case 'acorns.list':
      return one({ path: '/api/acorns', query: { limit: '20' } });
    case 'acorns.create':
      return one({
        path: '/api/acorns',
        headers: auth,
        body: { title: 'bench', language: 'javascript', code: '1 + 1', visibility: 'private' },
      });
    case 'acorns.update':
      return one({ path: acornPath, headers: { ...auth, 'if-match': '*' }, body: { description: 'bench' } });
    case 'acorns.delete': {
      // Each invocation deletes an acorn of its own.
      const requests: HttpRequest[] = [];
      for (let i = 0; i < count; i++) {
        const acorn = await store.acorns.create({
          title: 'doomed',
          description: '',
          language: 'javascript',
          code: '0',
          visibility: 'private',
          ownerId: seeded.ownerId,
        });
        requests.push({ routeKey, path: `/api/acorns/${acorn.id}`, headers: auth });
      }
      return requests;
    }
    case 'acorns.fork':
      return one({ path: `${acornPath}/fork`, headers: auth });
    case 'acorns.run':
      return one({ path: `${acornPath}/run`, headers: auth, body: { input: { a: 1, b: 2 } } });
    case 'run.code':
      return one({ path: '/api/run', body: { language: 'javascript', code: '1 + 2' } });
    case 'revisions.list':
      return one({ path: `${acornPath}/revisions` });
    case 'revisions.get':
      return one({ path: `${acornPath}/revisions/1` });
    case 'identities.create':
      return one({ path: '/api/identities' });
    case 'identities.me':
      return one({ path: '/api/identities/me', headers: auth });
    case 'admin.metrics':
      // A normal key: 403 after auth. An admin read would time the metrics source (the table, or CloudWatch, which
      // is out of reach here), not what recording metrics adds to an invocation.
      return one({ path: '/api/admin/metrics', headers: auth });
    default:
      return one({ path: spec.path.replaceAll(/\{\w+\}/g, seeded.id), headers: auth });
  }
}

/** A bundle in a fresh process: a new execution environment. */
class Environment {
  readonly #child: ChildProcess;
  #stdoutBytes = 0;
  #exited: Promise<void>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    // stdout is what Lambda ships to CloudWatch Logs (EMF lines): drained here, as the log pipe would be, and counted.
    child.stdout!.on('data', (chunk: Buffer) => {
      this.#stdoutBytes += chunk.length;
    });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(task: ChildTask, env: NodeJS.ProcessEnv): Promise<{ environment: Environment; initMs: number }> {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      env,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const environment = new Environment(child);
    child.send(task);
    const { initMs } = await environment.#next<{ initMs: number }>();
    return { environment, initMs };
  }

  get stdoutBytes() {
    return this.#stdoutBytes;
  }

  /** Time of one invocation, as the handler saw it. */
  async invoke(i: number): Promise<{ ms: number; status: number }> {
    this.#child.send({ invoke: i } satisfies ParentMessage);
    return this.#next();
  }

  async stop(): Promise<void> {
    this.#child.send({ exit: true } satisfies ParentMessage);
    await this.#exited;
  }

  #next<T>(): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench child exited with ${code}`));
      this.#child.once('exit', onExit);
      this.#child.once('message', (message) => {
        this.#child.off('exit', onExit);
        resolve(message as T);
      });
    });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
  const warmup = Math.max(10, Math.round(iterations / 10));
  const only = process.env.BENCH_ROUTES?.split(',').filter(Boolean);
  const { routes } = await import('../src/routes/index.ts');
  const specs = routes.map((route) => route.spec).filter((spec) => !only || only.includes(spec.name));

  const root = await mkdtemp(join(tmpdir(), 'squirrelbin-bench-lambda-'));
  const embedded = await startEmbeddedStore(join(root, 'data'));
  const store = await openStore({
    endpoint: embedded.endpoint,
    dataDir: join(root, 'data'),
    tables: defaultTableNames,
    createTables: true,
  });
  try {
    process.stderr.write(`bundling ${specs.length} routes…\n`);
    const bundles = new Map(
      await Promise.all(specs.map(async (spec) => [spec.name, (await bundleRoute(spec, root)).file] as const)),
    );
    const seeded = await seed(store);
    const baseEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_LAMBDA_FUNCTION_NAME: 'squirrelbin-bench',
      AWS_REGION: 'eu-west-1',
      DYNAMODB_ENDPOINT: embedded.endpoint,
      CORS_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
      // Limits would turn a bench's steady stream from one address into 429s.
      IDENTITY_RATE_LIMIT: '0',
      ACORN_RATE_LIMIT: '0',
      ACORN_ADDRESS_RATE_LIMIT: '0',
      RUN_RATE_LIMIT: '0',
      RUN_ADDRESS_RATE_LIMIT: '0',
    };

    const rows: string[] = [];
    for (const spec of specs) {
      const bundle = bundles.get(spec.name)!;
      const sizeKb = (await stat(bundle)).size / 1024;
      const env = {
        ...baseEnv,
        // As the stack sets them for the functions that run acorns.
        ...(spec.runsAcorns ? { NODE_OPTIONS: '--no-node-snapshot', RUN_WORKERS: '1' } : {}),
      };
      const modes = ['on', 'off'] as const;
      const figures = {
        on: { init: [] as number[], first: [] as number[], warm: [] as number[], logBytes: [] as number[] },
        off: { init: [] as number[], first: [] as number[], warm: [] as number[], logBytes: [] as number[] },
      };
      const statuses: Record<number, number> = {};
      for (let round = 0; round < rounds; round++) {
        // Two environments side by side, invoked in turn, so both see the same machine load.
        const order = round % 2 ? [...modes].reverse() : modes;
        const environments = new Map<(typeof modes)[number], Environment>();
        try {
          for (const mode of order) {
            const requests = await requestsFor(spec, seeded, store, warmup + iterations + 1);
            const started = await Environment.start({ name: spec.name, bundle, requests }, { ...env, METRICS: mode });
            environments.set(mode, started.environment);
            figures[mode].init.push(started.initMs);
          }
          for (let i = 0; i <= warmup + iterations; i++) {
            for (const mode of order) {
              const { ms, status } = await environments.get(mode)!.invoke(i);
              if (i === 0) figures[mode].first.push(ms);
              else if (i > warmup) figures[mode].warm.push(ms);
              if (mode === 'on') statuses[status] = (statuses[status] ?? 0) + 1;
            }
          }
          for (const mode of order)
            figures[mode].logBytes.push(environments.get(mode)!.stdoutBytes / (warmup + iterations + 1));
        } finally {
          for (const environment of environments.values()) await environment.stop();
        }
      }
      const p = (mode: (typeof modes)[number], q: number) => quantile(figures[mode].warm, q);
      rows.push(
        [
          spec.name,
          sizeKb.toFixed(0),
          median(figures.off.init).toFixed(0),
          median(figures.on.init).toFixed(0),
          median(figures.on.first).toFixed(1),
          p('off', 0.5).toFixed(2),
          p('on', 0.5).toFixed(2),
          (p('on', 0.5) - p('off', 0.5)).toFixed(2),
          (p('on', 0.9) - p('off', 0.9)).toFixed(2),
          median(figures.on.logBytes).toFixed(0),
          Object.entries(statuses)
            .map(([status, n]) => `${status}×${n}`)
            .join(' '),
        ].join(' | '),
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }

    console.log(
      `\nbench:lambda — ${rounds} rounds × ${iterations} warm invocations per child (after ${warmup} warm-up), medians over rounds\n`,
    );
    console.log(
      '| function | bundle KB | init ms (off) | init ms (on) | first call ms | warm p50 ms, METRICS=off | warm p50 ms, on | Δ p50 ms | Δ p90 ms | stdout B/call | statuses |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) console.log(`| ${row} |`);
  } finally {
    await store.close();
    await embedded.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  process.once('message', (task: ChildTask) => void runChild(task));
} else {
  await main();
}
