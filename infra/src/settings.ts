/** Deployment settings: CDK context (`cdk.json` or `-c key=value`), validated once, with defaults. */
import type { Node } from 'constructs';

export interface Settings {
  /** Tables keep deletion protection and are retained when the stack is destroyed. */
  deletionProtection: boolean;
  /** Default stage throttling of the HTTP API, requests per second and burst (infra/README.md says why). */
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** Throttling of each route that runs acorns, requests per second and burst. */
  runThrottleRateLimit: number;
  runThrottleBurstLimit: number;
  /** Concurrency reserved for (and capping) each function that runs acorns; 0: none. */
  runReservedConcurrency: number;
  /** Memory of the ordinary API functions and of the functions that run acorns (MB). */
  apiMemoryMb: number;
  runMemoryMb: number;
  /** The longest run a caller may ask for; sizes the run functions' timeout, and the jobs worker's (jobs.ts). */
  runMaxTimeoutMs: number;
  /**
   * Most jobs worker environments at once (the SQS event source's maximum concurrency, 2–1,000): the share of Lambda
   * that jobs may take, however many are queued.
   */
  jobWorkerConcurrency: number;
  /** Origin allowed by CORS; unset means the CloudFront domain the SPA is served from. */
  corsOrigin: string | undefined;
  logRetentionDays: number;
  /** Alarm thresholds. */
  alarm5xxPercent: number;
  alarmLatencyP99Ms: number;
  alarmRunLatencyP99Ms: number;
  /** The jobs queue's oldest message waiting longer than this (seconds) is an alarm: the workers are behind. */
  alarmJobQueueAgeSeconds: number;
  /** Alarm notifications go to an SNS topic; this address is subscribed to it when set. */
  alarmEmail: string | undefined;
  /** The built SPA, relative to the repository root. */
  webDist: string;
  /** Global secondary indexes to leave out, for replacing one (docs/data-model.md); comma-separated in context. */
  omitIndexes: string[];
}

export const defaultSettings: Settings = {
  deletionProtection: true,
  throttleRateLimit: 1_000,
  throttleBurstLimit: 2_000,
  runThrottleRateLimit: 100,
  runThrottleBurstLimit: 100,
  runReservedConcurrency: 100,
  apiMemoryMb: 512,
  runMemoryMb: 1024,
  runMaxTimeoutMs: 10_000,
  jobWorkerConcurrency: 20,
  corsOrigin: undefined,
  logRetentionDays: 30,
  alarm5xxPercent: 5,
  alarmLatencyP99Ms: 1_000,
  alarmRunLatencyP99Ms: 5_000,
  alarmJobQueueAgeSeconds: 900,
  alarmEmail: undefined,
  webDist: 'apps/web/dist',
  omitIndexes: [],
};

/** Reads every setting from context; `-c` gives strings, `cdk.json` gives JSON values: both are accepted. */
export function readSettings(node: Node): Settings {
  const value = (key: keyof Settings): unknown => node.tryGetContext(key);
  const number = (key: keyof Settings, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number => {
    const raw = value(key);
    if (raw === undefined) return fallback;
    const parsed = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new Error(
        `context ${key}: expected a number ≥ ${min}${max < Number.POSITIVE_INFINITY ? ` and ≤ ${max}` : ''}`,
      );
    }
    return parsed;
  };
  const boolean = (key: keyof Settings, fallback: boolean): boolean => {
    const raw = value(key);
    if (raw === undefined) return fallback;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw new Error(`context ${key}: expected true or false`);
  };
  const text = (key: keyof Settings): string | undefined => {
    const raw = value(key);
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw !== 'string') throw new Error(`context ${key}: expected a string`);
    return raw;
  };
  const d = defaultSettings;
  return {
    deletionProtection: boolean('deletionProtection', d.deletionProtection),
    throttleRateLimit: number('throttleRateLimit', d.throttleRateLimit, 1),
    throttleBurstLimit: number('throttleBurstLimit', d.throttleBurstLimit, 1),
    runThrottleRateLimit: number('runThrottleRateLimit', d.runThrottleRateLimit, 1),
    runThrottleBurstLimit: number('runThrottleBurstLimit', d.runThrottleBurstLimit, 1),
    runReservedConcurrency: number('runReservedConcurrency', d.runReservedConcurrency, 0),
    apiMemoryMb: number('apiMemoryMb', d.apiMemoryMb, 128),
    runMemoryMb: number('runMemoryMb', d.runMemoryMb, 512),
    runMaxTimeoutMs: number('runMaxTimeoutMs', d.runMaxTimeoutMs, 100),
    jobWorkerConcurrency: number('jobWorkerConcurrency', d.jobWorkerConcurrency, 2, 1_000),
    corsOrigin: text('corsOrigin'),
    logRetentionDays: number('logRetentionDays', d.logRetentionDays, 1),
    alarm5xxPercent: number('alarm5xxPercent', d.alarm5xxPercent, 0),
    alarmLatencyP99Ms: number('alarmLatencyP99Ms', d.alarmLatencyP99Ms, 1),
    alarmRunLatencyP99Ms: number('alarmRunLatencyP99Ms', d.alarmRunLatencyP99Ms, 1),
    alarmJobQueueAgeSeconds: number('alarmJobQueueAgeSeconds', d.alarmJobQueueAgeSeconds, 60),
    alarmEmail: text('alarmEmail'),
    webDist: text('webDist') ?? d.webDist,
    omitIndexes: (text('omitIndexes') ?? '').split(',').flatMap((name) => name.trim() || []),
  };
}
