/** Configuration: read once from the environment, validated, and passed down. Nothing else reads process.env. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defaultTableNames, type StoreConfig } from '@squirrelbin/store';
import * as z from 'zod';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const EnvSchema = z.object({
  PORT: int(8787),
  HOST: optionalText,
  DATA_DIR: z.string().min(1).default('./.data'),
  STORE_PORT: int(8000),
  DYNAMODB_ENDPOINT: optionalText.pipe(z.url().optional()),
  AWS_REGION: optionalText,
  AWS_LAMBDA_FUNCTION_NAME: optionalText,
  ACORNS_TABLE: z.string().min(3).default(defaultTableNames.acorns),
  IDENTITIES_TABLE: z.string().min(3).default(defaultTableNames.identities),
  METRICS_TABLE: z.string().min(3).default(defaultTableNames.metrics),
  LIMITS_TABLE: z.string().min(3).default(defaultTableNames.limits),
  INVOCATIONS_TABLE: z.string().min(3).default(defaultTableNames.invocations),
  JOBS_TABLE: z.string().min(3).default(defaultTableNames.jobs),
  JOB_RESULTS_TABLE: z.string().min(3).default(defaultTableNames.jobResults),
  CORS_ORIGIN: z.string().min(1).default('*'),
  CLIENT_IP_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
  ),
  ORIGIN_SECRET: optionalText.pipe(z.string().min(16).optional()),
  MAX_BODY_BYTES: int(1024 * 1024, 1),
  ACORN_CACHE_TTL_MS: z.coerce.number().int().min(0).optional(),
  IDENTITY_RATE_LIMIT: int(120),
  ACORN_RATE_LIMIT: int(120),
  ACORN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(0).optional(),
  RUN_RATE_LIMIT: int(120),
  ENDPOINT_RATE_LIMIT: int(600),
  INVOCATION_LOG: z.enum(['on', 'off']).default('on'),
  FORWARDED_HOST_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
  ),
  FORWARDED_PROTO_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
  ),
  RUN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(0).optional(),
  RATE_LIMITS: z.enum(['memory', 'store', '']).optional(),
  RUN_PER_OWNER: int(2, 1),
  RUN_QUEUE_PER_OWNER: int(20, 1),
  RUN_ANON_MAX_TIMEOUT_MS: int(3_000, 10),
  RUN_WORKERS: int(availableParallelism(), 1),
  RUN_PER_WORKER: int(4, 1),
  RUN_QUEUE: int(100),
  RUN_TIMEOUT_MS: int(1_000, 10),
  RUN_MAX_TIMEOUT_MS: int(10_000, 10),
  RUN_MEMORY_MB: int(64, 8),
  RUN_MAX_MEMORY_MB: int(128, 8),
  WORKER_RSS_LIMIT_MB: int(512, 64),
  METRICS: z.enum(['on', 'off']).default('on'),
  METRICS_FLUSH_MS: int(5_000, 100),
  METRICS_RETENTION_DAYS: int(30, 1),
  WEB_DIST: z.string().default('apps/web/dist'),
  ROUTE_KEYS: optionalText,
  JOB_SLOTS: z.coerce.number().int().min(1).optional(),
  JOB_LANES: z.coerce.number().int().min(1).optional(),
  JOB_LEASE_MS: int(10_000, 500),
  JOB_HEARTBEAT_MS: int(500, 50),
  JOB_POLL_MS: int(500, 20),
  JOB_WORKER: z.enum(['on', 'off']).default('on'),
  JOBS_QUEUE_URL: optionalText.pipe(z.url().optional()),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string | undefined;
  store: StoreConfig;
  /** Port of `npm run store`, the embedded store served alone. */
  storePort: number;
  onLambda: boolean;
  corsOrigin: string;
  /** A header a trusted proxy in front sets to the client's address (on AWS, CloudFront's); unset: the peer's. */
  clientIpHeader: string | undefined;
  /**
   * The value the CDN in front sends in `x-squirrelbin-origin-secret` (on AWS, CloudFront's origin header):
   * requests without it are refused, so nobody reaches the functions around the CDN nor forges CLIENT_IP_HEADER.
   * Unset: no check (locally).
   */
  originSecret: string | undefined;
  maxBodyBytes: number;
  /** Unset: on when this process serves the embedded store itself (it sees every write), else off. */
  acornCacheTtlMs: number | undefined;
  /** Identities a client IP may create per minute; 0 turns the limit off. */
  identityRateLimit: number;
  /** Acorns (created or forked) an identity may make per minute; 0 turns the limit off. */
  acornRateLimit: number;
  /** Acorns all identities of one client address may make per minute (identities are free); 0: off. */
  acornAddressRateLimit: number;
  /** Calls of one endpoint acorn (`/x/{id}`) per minute; 0 turns the limit off. */
  endpointRateLimit: number;
  /** `false` (INVOCATION_LOG=off) records no endpoint calls, to measure what recording costs. */
  invocationLog: boolean;
  /**
   * Headers a trusted proxy in front sets to the host and scheme the client used (on AWS, CloudFront's viewer
   * request function): the URL an endpoint acorn sees. Unset: the request's own Host and scheme.
   */
  forwardedHostHeader: string | undefined;
  forwardedProtoHeader: string | undefined;
  /** Runs an owner may start per minute; 0 turns the limit off. */
  runRateLimit: number;
  /** Runs per minute from one address by anonymous callers and identities younger than 10 minutes; 0: off. */
  runAddressRateLimit: number;
  /**
   * Where rate limits count: `memory` (token buckets in this process) or `store` (counters in the limits table,
   * shared by every process on the store). Unset: memory when this process serves the embedded store itself,
   * store otherwise (several servers on one store, every Lambda).
   */
  rateLimits: 'memory' | 'store' | undefined;
  run: {
    workers: number;
    /** Runs a worker executes at once, each isolate on its own thread (decision 004). */
    perWorker: number;
    queue: number;
    defaults: { timeoutMs: number; memoryMb: number };
    maxima: { timeoutMs: number; memoryMb: number };
    workerRssLimitMb: number;
    /** Runs one owner may have in the sandbox at once; the rest wait in its own queue, served in turn. */
    perOwner: number;
    queuePerOwner: number;
    /** The longest deadline an anonymous caller may ask for (identified callers: `maxima.timeoutMs`). */
    anonymousMaxTimeoutMs: number;
  };
  jobs: {
    /** Sandbox slots job runs may hold at once (JOB_SLOTS; default half of RUN_WORKERS × RUN_PER_WORKER). */
    slots: number;
    /** Lanes this process works at once (JOB_LANES; default twice the slots, so store writes overlap runs). */
    lanes: number;
    /** How long a lane's lease lasts without a heartbeat: how soon a dead worker's lanes are taken over. */
    leaseMs: number;
    /** How often a lane renews its lease and records its progress. */
    heartbeatMs: number;
    /** How often an idle local worker looks for work. */
    pollMs: number;
    /** `false` (JOB_WORKER=off): this server starts and serves jobs but runs none (another process does). */
    worker: boolean;
    /** The SQS queue jobs go through on AWS; unset: the local store-backed queue. */
    queueUrl: string | undefined;
  };
  /** `enabled: false` (METRICS=off) skips recording, to measure its overhead. */
  metrics: { enabled: boolean; flushMs: number; retentionDays: number };
  webDist: string;
  /**
   * The API's route keys (`GET /api/acorns/{id}`, …), given to the `$default` Lambda by the stack (ROUTE_KEYS,
   * comma-separated) so it can tell a path asked with the wrong method (405) from an unknown one (404).
   */
  routeKeys: string[];
}

export function loadConfig(env: Env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const onLambda = e.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    store: {
      endpoint: e.DYNAMODB_ENDPOINT,
      region: e.AWS_REGION,
      dataDir: resolve(e.DATA_DIR),
      tables: {
        acorns: e.ACORNS_TABLE,
        identities: e.IDENTITIES_TABLE,
        metrics: e.METRICS_TABLE,
        limits: e.LIMITS_TABLE,
        invocations: e.INVOCATIONS_TABLE,
        jobs: e.JOBS_TABLE,
        jobResults: e.JOB_RESULTS_TABLE,
      },
      // On AWS the tables belong to the CDK stack and Lambdas get no CreateTable permission.
      createTables: !onLambda,
    },
    storePort: e.STORE_PORT,
    onLambda,
    corsOrigin: e.CORS_ORIGIN,
    clientIpHeader: e.CLIENT_IP_HEADER?.toLowerCase(),
    originSecret: e.ORIGIN_SECRET,
    maxBodyBytes: e.MAX_BODY_BYTES,
    acornCacheTtlMs: e.ACORN_CACHE_TTL_MS,
    identityRateLimit: e.IDENTITY_RATE_LIMIT,
    acornRateLimit: e.ACORN_RATE_LIMIT,
    acornAddressRateLimit: e.ACORN_ADDRESS_RATE_LIMIT ?? e.ACORN_RATE_LIMIT * 5,
    runRateLimit: e.RUN_RATE_LIMIT,
    endpointRateLimit: e.ENDPOINT_RATE_LIMIT,
    invocationLog: e.INVOCATION_LOG === 'on',
    forwardedHostHeader: e.FORWARDED_HOST_HEADER?.toLowerCase(),
    forwardedProtoHeader: e.FORWARDED_PROTO_HEADER?.toLowerCase(),
    runAddressRateLimit: e.RUN_ADDRESS_RATE_LIMIT ?? e.RUN_RATE_LIMIT * 2,
    rateLimits: e.RATE_LIMITS || undefined,
    jobs: jobSettings(e),
    run: {
      workers: e.RUN_WORKERS,
      perWorker: e.RUN_PER_WORKER,
      queue: e.RUN_QUEUE,
      defaults: { timeoutMs: e.RUN_TIMEOUT_MS, memoryMb: e.RUN_MEMORY_MB },
      maxima: { timeoutMs: e.RUN_MAX_TIMEOUT_MS, memoryMb: e.RUN_MAX_MEMORY_MB },
      workerRssLimitMb: e.WORKER_RSS_LIMIT_MB,
      perOwner: e.RUN_PER_OWNER,
      queuePerOwner: e.RUN_QUEUE_PER_OWNER,
      anonymousMaxTimeoutMs: Math.min(e.RUN_ANON_MAX_TIMEOUT_MS, e.RUN_MAX_TIMEOUT_MS),
    },
    metrics: { enabled: e.METRICS === 'on', flushMs: e.METRICS_FLUSH_MS, retentionDays: e.METRICS_RETENTION_DAYS },
    webDist: resolve(e.WEB_DIST),
    routeKeys: (e.ROUTE_KEYS ?? '').split(',').flatMap((key) => key.trim() || []),
  };
}

function jobSettings(e: z.infer<typeof EnvSchema>): Config['jobs'] {
  const slots = e.JOB_SLOTS ?? Math.max(1, Math.floor((e.RUN_WORKERS * e.RUN_PER_WORKER) / 2));
  return {
    slots,
    lanes: e.JOB_LANES ?? slots * 2,
    leaseMs: e.JOB_LEASE_MS,
    heartbeatMs: Math.min(e.JOB_HEARTBEAT_MS, Math.floor(e.JOB_LEASE_MS / 3)),
    pollMs: e.JOB_POLL_MS,
    worker: e.JOB_WORKER === 'on',
    queueUrl: e.JOBS_QUEUE_URL,
  };
}
