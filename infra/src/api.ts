/** One Lambda per route verb of the API's route table, each behind its own HTTP API route. */

import type { RouteSpec } from '@squirrelbin/api/route';
import { Duration, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  copyCommands,
  fallbackBundleSettings,
  type LambdaBundleSettings,
  lambdaBundleSettings,
  lambdaTarget,
  repoRoot,
  shippedFiles,
} from './lambda-bundle.ts';
import type { Settings } from './settings.ts';
import type { LogicalTableName, Tables } from './tables.ts';
import { clientIpHeader } from './web.ts';

/** Tag on every route function (value: the endpoint name), telling them apart from CDK's helper functions. */
export const endpointTag = 'squirrelbin:endpoint';

/** API Gateway route key of a route's path, e.g. `GET /api/acorns/{id}` (`ANY /x/{id}` for `method: 'any'`). */
export const routeKey = (spec: Pick<RouteSpec, 'method' | 'path'>) => `${spec.method.toUpperCase()} ${spec.path}`;

/**
 * Every API Gateway route key of a route: its path, and its proxy path when it serves a subtree (`ANY /x/{id}` and
 * `ANY /x/{id}/{proxy+}`). The API's `routeKeysOf` (apps/api/src/app.ts, not exported by the package), spelled the
 * same; infra/test checks that the two agree.
 */
export const routeKeys = (spec: Pick<RouteSpec, 'method' | 'path' | 'proxyPath'>): string[] => [
  routeKey(spec),
  ...(spec.proxyPath ? [routeKey({ method: spec.method, path: spec.proxyPath })] : []),
];

/** The API Gateway methods of a route key's path: HEAD beside GET (the GET route answers it), ANY for `any`. */
function httpMethods(method: RouteSpec['method']): apigw.HttpMethod[] {
  const upper = method.toUpperCase() as apigw.HttpMethod;
  return upper === apigw.HttpMethod.GET ? [upper, apigw.HttpMethod.HEAD] : [upper];
}

/**
 * The DynamoDB actions of CDK's `grantReadData` (aws-dynamodb's RESOURCE_READ_DATA_ACTIONS, DESCRIBE_TABLE and
 * PRINCIPAL_ONLY_READ_DATA_ACTIONS), spelled out so that what a function is granted is data the bundle test can
 * enforce (infra/test checks the lists against CDK's).
 */
export const readDataActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

/** CDK's `grantReadWriteData`: the read actions and WRITE_DATA_ACTIONS. */
export const readWriteDataActions = [
  ...readDataActions,
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** Table → DynamoDB actions a route's function may call on it (and on its indexes). */
export type StoreGrants = Partial<Record<LogicalTableName, readonly string[]>>;

/** What a function needs of the store and the jobs queue: a route's `spec.access`; the jobs worker declares its own. */
export type Access = RouteSpec['access'];

/**
 * Least privilege from the route's declared access (`spec.access`): what the stack grants each function, and what
 * the bundle test lets each bundled function call. A rate-limit token is one conditional UpdateItem; an invocation
 * record is one PutItem (the endpoint function only ever adds records; TTL deletes them). No function touches the
 * metrics table: metrics are EMF lines in the function's logs, read back from CloudWatch (decision 006). `jobs`
 * covers both job tables: a job and its lanes in `jobs`, its iterations' results in `jobResults`.
 */
export function storeGrants(spec: { access: Access }): StoreGrants {
  const grants: StoreGrants = {};
  for (const name of ['acorns', 'identities'] as const) {
    const access = spec.access[name];
    if (access === 'write') grants[name] = readWriteDataActions;
    else if (access === 'read') grants[name] = readDataActions;
  }
  if (spec.access.limits === 'write') grants.limits = ['dynamodb:UpdateItem'];
  if (spec.access.invocations === 'write') grants.invocations = ['dynamodb:BatchWriteItem'];
  else if (spec.access.invocations === 'read') grants.invocations = readDataActions;
  if (spec.access.jobs) {
    grants.jobs = grants.jobResults = spec.access.jobs === 'write' ? readWriteDataActions : readDataActions;
  }
  return grants;
}

/** The variable the API reads the jobs queue's URL from. */
export const jobsQueueVariable = 'JOBS_QUEUE_URL';

/**
 * The SQS actions a function may call on the jobs queue: only sending, for those that declare `jobQueue: 'send'`
 * (SendMessageBatch is authorized as SendMessage). The worker's receive and delete come with its event source.
 */
export const queueGrants = (access: Access): string[] => (access.jobQueue === 'send' ? ['sqs:SendMessage'] : []);

/**
 * What `storeGrants` and `queueGrants` say, as IAM: each table's actions on the table and its indexes, CloudWatch
 * reads, SendMessage on the jobs queue (with its URL in JOBS_QUEUE_URL, which no other function gets).
 */
export function grantAccess(fn: lambda.Function, access: Access, resources: { tables: Tables; jobQueue: sqs.IQueue }) {
  for (const [name, actions] of Object.entries(storeGrants({ access })) as [LogicalTableName, readonly string[]][]) {
    resources.tables.byName[name].grant(fn, ...actions);
  }
  // Neither action can be narrowed to a namespace or resource.
  if (access.metrics) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], resources: ['*'] }),
    );
  }
  const queueActions = queueGrants(access);
  if (queueActions.length) {
    resources.jobQueue.grant(fn, ...queueActions);
    fn.addEnvironment(jobsQueueVariable, resources.jobQueue.queueUrl);
  }
}

/** The architecture of the isolated-vm addon the run functions ship. */
const architecture = lambdaTarget.prebuild === 'linux-arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

/** Time a run function gets beyond the longest run: cold start, reading the acorn, recording metrics. */
const runTimeoutMargin = Duration.seconds(5);

/** What every function that runs acorns gets beside its tables. */
export const runEnvironment = (settings: Settings): Record<string, string> => ({
  // isolated-vm needs it on Node 20+; each execution environment runs one acorn at a time.
  NODE_OPTIONS: '--no-node-snapshot',
  RUN_WORKERS: '1',
  RUN_MAX_TIMEOUT_MS: String(settings.runMaxTimeoutMs),
});

export interface ApiProps {
  routes: readonly RouteSpec[];
  tables: Tables;
  /** Where the routes that declare `jobQueue: 'send'` send job steps (jobs.ts). */
  jobQueue: sqs.IQueue;
  settings: Settings;
}

export interface RouteFunction {
  spec: RouteSpec;
  fn: nodejs.NodejsFunction;
}

export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly functions: RouteFunction[];
  /** Behind the `$default` route: what no route matched gets the app's problem+json 404/405. */
  readonly fallback: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { settings } = props;

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'SquirrelBin API: one Lambda per route verb',
      createDefaultStage: false,
      // The SPA calls the API on its own origin through CloudFront; an explicit origin also gets preflights answered.
      corsPreflight: settings.corsOrigin
        ? {
            allowOrigins: [settings.corsOrigin],
            allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
            allowMethods: [apigw.CorsHttpMethod.ANY],
            exposeHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
            maxAge: Duration.minutes(10),
          }
        : undefined,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: retention(settings.logRetentionDays) });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });

    // Runs are the expensive requests: each run route gets its own, lower throttle under the stage's.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    this.functions = props.routes.map((spec) => {
      const fn = this.routeFunction(spec, props);
      // One integration (so one function) for every route key of the route: `/x/{id}` and `/x/{id}/{proxy+}` alike.
      const integration = new HttpLambdaIntegration(`${spec.name}-integration`, fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });
      const routes = [spec.path, ...(spec.proxyPath ? [spec.proxyPath] : [])].flatMap((path) =>
        // HEAD wherever GET: the app answers it from the GET route (without the body), as the local server does.
        this.httpApi.addRoutes({ path, methods: httpMethods(spec.method), integration }),
      );
      if (spec.runsAcorns) {
        for (const key of routeKeys(spec)) {
          routeSettings[key] = {
            ThrottlingRateLimit: settings.runThrottleRateLimit,
            ThrottlingBurstLimit: settings.runThrottleBurstLimit,
          };
        }
        // A stage's route settings may only name routes that already exist.
        for (const route of routes) this.stage.node.addDependency(route);
      }
      return { spec, fn };
    });
    if (Object.keys(routeSettings).length) {
      (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    }

    // Everything else (unknown paths, other methods on known paths) to the app too, not API Gateway's own 404 body.
    this.fallback = this.fallbackFunction(props);
    new apigw.HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('fallback-integration', this.fallback, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });
  }

  /** Tells every function the origin allowed by CORS (the SPA's, known only once CloudFront exists). */
  allowOrigin(origin: string): void {
    for (const fn of this.allFunctions) fn.addEnvironment('CORS_ORIGIN', origin);
  }

  /**
   * Makes every function refuse (403) requests without the header CloudFront adds with this value
   * (`ORIGIN_SECRET`): the execute-api URL stays reachable, but only through CloudFront does a request work.
   */
  requireOriginSecret(value: string): void {
    for (const fn of this.allFunctions) fn.addEnvironment('ORIGIN_SECRET', value);
  }

  /**
   * Tells the functions of the routes `served` picks which headers carry the host and scheme the client used
   * (`FORWARDED_HOST_HEADER`, `FORWARDED_PROTO_HEADER`), so the URL an endpoint acorn sees is the one the client
   * asked for, not the execute-api one. Only where CloudFront sets (and so overwrites) them: elsewhere a viewer could.
   */
  trustForwardedHeaders(headers: { host: string; proto: string }, served: (spec: RouteSpec) => boolean): void {
    for (const { spec, fn } of this.functions) {
      if (!served(spec)) continue;
      fn.addEnvironment('FORWARDED_HOST_HEADER', headers.host);
      fn.addEnvironment('FORWARDED_PROTO_HEADER', headers.proto);
    }
  }

  /** The route functions and the fallback. */
  get allFunctions(): nodejs.NodejsFunction[] {
    return [...this.functions.map(({ fn }) => fn), this.fallback];
  }

  /** The HTTP API's domain, for CloudFront's origin. */
  get domainName(): string {
    return `${this.httpApi.apiId}.execute-api.${this.httpApi.stack.region}.${this.httpApi.stack.urlSuffix}`;
  }

  private routeFunction(spec: RouteSpec, props: ApiProps): nodejs.NodejsFunction {
    const { settings, tables } = props;
    const environment: Record<string, string> = {
      ...tables.environment(),
      CLIENT_IP_HEADER: clientIpHeader,
      ...(spec.runsAcorns ? runEnvironment(settings) : {}),
    };
    const fn = bundledFunction(this, spec.name.replaceAll('.', '-'), lambdaBundleSettings(spec), settings, {
      description: `SquirrelBin ${routeKeys(spec).join(', ')} (${spec.name})`,
      memorySize: spec.runsAcorns ? settings.runMemoryMb : settings.apiMemoryMb,
      // Runs may use this many execution environments and no more, so they never take the ones the rest needs.
      reservedConcurrentExecutions:
        spec.runsAcorns && settings.runReservedConcurrency > 0 ? settings.runReservedConcurrency : undefined,
      timeout: spec.runsAcorns
        ? Duration.millis(settings.runMaxTimeoutMs).plus(runTimeoutMargin)
        : Duration.seconds(10),
      environment,
      // Listed when CDK bundles (synth tests skip bundling, so they need no built addon).
      shipped: () => shippedFiles(spec),
    });
    Tags.of(fn).add(endpointTag, spec.name);
    grantAccess(fn, spec.access, { tables, jobQueue: props.jobQueue });
    return fn;
  }

  /** The `$default` route's function: no table, no sandbox; it learns the route table from ROUTE_KEYS. */
  private fallbackFunction(props: ApiProps): nodejs.NodejsFunction {
    return bundledFunction(this, 'fallback', fallbackBundleSettings(), props.settings, {
      description: 'SquirrelBin $default: problem+json 404/405 for what no route matched',
      memorySize: props.settings.apiMemoryMb,
      timeout: Duration.seconds(5),
      environment: { ROUTE_KEYS: props.routes.flatMap(routeKeys).join(',') },
      shipped: () => [],
    });
  }
}

function retention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (!allowed.includes(days)) throw new Error(`context logRetentionDays: ${days} is not one of ${allowed.join(', ')}`);
  return days as logs.RetentionDays;
}

/** The props of a bundled function that differ between functions. */
export type BundledFunctionOptions = Pick<
  nodejs.NodejsFunctionProps,
  'description' | 'memorySize' | 'reservedConcurrentExecutions' | 'timeout' | 'environment'
> & { shipped: () => ReturnType<typeof shippedFiles> };

/**
 * A function bundled locally with `bundle` (esbuild, as the bundle test does), Node 24 on the addon's architecture,
 * with its own log group, and the `shipped` files copied beside the bundle: every route's, the `$default` one and the
 * jobs worker.
 */
export function bundledFunction(
  scope: Construct,
  id: string,
  bundle: LambdaBundleSettings,
  settings: Settings,
  options: BundledFunctionOptions,
): nodejs.NodejsFunction {
  const { shipped, ...props } = options;
  return new nodejs.NodejsFunction(scope, id, {
    ...props,
    entry: bundle.entry,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture,
    logGroup: new logs.LogGroup(scope, `${id}-logs`, { retention: retention(settings.logRetentionDays) }),
    projectRoot: repoRoot,
    depsLockFilePath: `${repoRoot}/package-lock.json`,
    bundling: {
      forceDockerBundling: false,
      format: nodejs.OutputFormat.ESM,
      target: bundle.target,
      minify: bundle.minify,
      keepNames: bundle.keepNames,
      banner: bundle.banner,
      mainFields: bundle.mainFields,
      externalModules: bundle.external,
      esbuildArgs: { '--alias': Object.entries(bundle.alias).map(([from, to]) => `${from}=${to}`) },
      sourceMap: false,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) => {
          const files = shipped();
          return files.length ? copyCommands(files, inputDir, outputDir) : [];
        },
      },
    },
  });
}
