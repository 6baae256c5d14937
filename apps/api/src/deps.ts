/** What route handlers need, built once per process (server or Lambda) and put on the Hono context. */

import { createMetrics, type Metrics, metricsMiddleware } from '@squirrelbin/metrics';
import type { RunCancelled, RunRejection, RunRequest, StreamOptions } from '@squirrelbin/sandbox';
import type { RunResult, RunStatus } from '@squirrelbin/schemas';
import type { Store } from '@squirrelbin/store';
import type { Context, MiddlewareHandler } from 'hono';
import { type AcornCache, createAcornCache } from './acorn-cache.ts';
import type { Config } from './config.ts';
import { createIdentityCache, type IdentityCache } from './identity-cache.ts';
import { createInvocationLog, type InvocationLog } from './invocation-log.ts';
import { createJobServices, type JobServices } from './jobs/service.ts';
import { createLimiter, type RateLimiter } from './rate-limit.ts';

/** Runs acorns: the supervised worker pool on a server, the in-process runner on Lambda. */
export interface AcornRunner {
  run(request: RunRequest, options?: StreamOptions): Promise<RunResult | RunRejection | RunCancelled>;
}

export interface Deps {
  config: Config;
  store: Store;
  runner: AcornRunner;
  runLimiter: RateLimiter;
  /** Runs per client address, for anonymous callers and new identities. */
  runAddressLimiter: RateLimiter;
  /** Acorn creates and forks, per identity and per client address. */
  acornLimiter: RateLimiter;
  acornAddressLimiter: RateLimiter;
  metrics: Metrics;
  /** Records every request of this process into `metrics`. */
  recordMetrics: MiddlewareHandler<AppEnv>;
  acornCache: AcornCache;
  identityCache: IdentityCache;
  identityLimiter: RateLimiter;
  /** Calls per endpoint acorn. */
  endpointLimiter: RateLimiter;
  /** Endpoint calls, written in batches beside the answers (see invocation-log.ts). */
  invocationLog: InvocationLog;
  /** Load tests and batches: the engine, and how new jobs reach the workers. */
  jobs: JobServices;
  /**
   * Writes what is still buffered (invocation records): on Lambda after each answer (the environment may freeze),
   * on a server at close.
   */
  settle(): Promise<void>;
  /** The caller's address, as the hosting platform reports it. */
  clientAddress(c: Context<AppEnv>): string;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    /** The identity behind the Bearer key, when one was sent. */
    identity: import('@squirrelbin/store').Identity | undefined;
    /** The route's endpoint name for metrics, e.g. `acorns.get`. */
    endpoint: string;
    /** The route's own body bound, when it has one below the server-wide limit. */
    bodyLimit: number | undefined;
    /** The route takes any body as bytes (endpoints): no Content-Encoding check. */
    bodyRaw: boolean;
    /** A second endpoint name the request is recorded under too (an endpoint acorn's own series, `acorn:{id}`). */
    metricsAlso: string | undefined;
    /** How a run ended, for the run routes' outcome metrics. */
    runOutcome: RunStatus | 'rejected' | 'cancelled' | undefined;
    /** A streamed answer's end: metrics record the request then (its outcome known, its latency the stream's). */
    settled: Promise<unknown> | undefined;
  };
}

export function createDeps(
  config: Config,
  store: Store,
  runner: AcornRunner,
  clientAddress: Deps['clientAddress'],
): Deps {
  // On Lambda: no table write on the request path; each invocation's figures are printed as CloudWatch EMF at its
  // end, and the admin route reads them back from CloudWatch (decision 006).
  const metrics = createMetrics({
    connection: config.onLambda ? undefined : store.connection,
    flushMs: config.onLambda ? 0 : config.metrics.flushMs,
    retentionDays: config.metrics.retentionDays,
    emf: config.onLambda,
    onError: (error) => console.error(JSON.stringify({ level: 'warn', message: `metrics flush failed: ${error}` })),
  });
  const invocationLog = createInvocationLog(store.invocations);
  const acornCache = createAcornCache(config.acornCacheTtlMs ?? (store.connection.mode === 'embedded' ? 2_000 : 0));
  return {
    config,
    store,
    runner,
    metrics,
    recordMetrics: config.metrics.enabled
      ? metricsMiddleware<Context<AppEnv>>(metrics, {
          endpointOf: (c) => c.get('endpoint'),
          alsoOf: (c) => c.get('metricsAlso'),
          settledOf: (c) => c.get('settled'),
          outcomeOf: (c) => c.get('runOutcome'),
        })
      : (_c, next) => next(),
    runLimiter: createLimiter(config, store, 'run', config.runRateLimit),
    runAddressLimiter: createLimiter(config, store, 'run-address', config.runAddressRateLimit),
    acornLimiter: createLimiter(config, store, 'acorn', config.acornRateLimit),
    acornAddressLimiter: createLimiter(config, store, 'acorn-address', config.acornAddressRateLimit),
    acornCache,
    jobs: createJobServices(config, store, runner, acornCache),
    identityCache: createIdentityCache(store.identities),
    identityLimiter: createLimiter(config, store, 'identity-address', config.identityRateLimit),
    endpointLimiter: createLimiter(config, store, 'endpoint', config.endpointRateLimit),
    invocationLog,
    settle: () => invocationLog.flush(),
    clientAddress: clientAddressFrom(config.clientIpHeader, clientAddress),
  };
}

/**
 * Behind a proxy the peer is the proxy: per-address limits and anonymous owners then come from the header the
 * trusted proxy sets (it overwrites what the client sent), and from the peer only when it is missing.
 */
function clientAddressFrom(header: string | undefined, peer: Deps['clientAddress']): Deps['clientAddress'] {
  if (!header) return peer;
  return (c) => c.req.header(header)?.split(',')[0]?.trim() || peer(c);
}
