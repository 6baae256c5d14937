/** The local server: every route and the built SPA on one port, over the configured (default: embedded) store. */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { type HttpBindings, serve } from '@hono/node-server';
import { createSandbox, type Sandbox } from '@squirrelbin/sandbox';
import { openStore } from '@squirrelbin/store';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { LocalJobWorker } from '../jobs/local-worker.ts';
import { routes } from '../routes/index.ts';
import { serveSpa } from './spa.ts';

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  sandbox: Sandbox;
  /** Stops taking connections, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const store = await openStore(config.store);
  const sandbox = createSandbox({
    workers: config.run.workers,
    runsPerWorker: config.run.perWorker,
    maxQueue: config.run.queue,
    defaults: config.run.defaults,
    maxima: config.run.maxima,
    workerRssLimitMb: config.run.workerRssLimitMb,
    maxRunsPerOwner: config.run.perOwner,
    maxQueuedPerOwner: config.run.queuePerOwner,
    backgroundSlots: config.jobs.slots,
  });
  const deps = createDeps(
    config,
    store,
    sandbox,
    (c) => (c.env as HttpBindings).incoming.socket.remoteAddress ?? 'unknown',
  );
  // Jobs through the store-backed queue: this process works lanes of every queued job (with other servers on the store).
  let jobWorker: LocalJobWorker | undefined;
  if (deps.jobs.local && config.jobs.worker) {
    const worker = new LocalJobWorker(deps.jobs.engine, deps.jobs.watch, {
      lanes: config.jobs.lanes,
      pollMs: config.jobs.pollMs,
    });
    deps.jobs.onQueued = () => worker.wake();
    worker.start();
    jobWorker = worker;
  }
  const app = createApp(config, () => deps, routes);
  if (existsSync(config.webDist)) serveSpa(app, relative(process.cwd(), config.webDist) || '.');

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    deps,
    sandbox,
    close() {
      closing ??= (async () => {
        deps.jobs.shutdown.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections with no request in flight would hold close() open.
          (server as import('node:http').Server).closeIdleConnections?.();
        });
        await jobWorker?.close();
        await sandbox.close();
        await deps.settle();
        await deps.metrics.close();
        await store.close();
      })();
      return closing;
    },
  };
}
