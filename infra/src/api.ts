/** One Lambda per route verb of the API's route table, each behind its own HTTP API route. */

import type { RouteSpec } from '@squirrelbin/api/route';
import { Duration, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { copyCommands, lambdaBundleSettings, lambdaTarget, repoRoot, shippedFiles } from './lambda-bundle.ts';
import type { Settings } from './settings.ts';
import type { Tables } from './tables.ts';
import { clientIpHeader } from './web.ts';

/** Tag on every route function (value: the endpoint name), telling them apart from CDK's helper functions. */
export const endpointTag = 'squirrelbin:endpoint';

/** API Gateway route key of a route, e.g. `GET /api/acorns/{id}`. */
export const routeKey = (spec: Pick<RouteSpec, 'method' | 'path'>) => `${spec.method.toUpperCase()} ${spec.path}`;

/** The architecture of the isolated-vm prebuild the run functions ship. */
const architecture = lambdaTarget.prebuild === 'linux-arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

/** Time a run function gets beyond the longest run: cold start, reading the acorn, recording metrics. */
const runTimeoutMargin = Duration.seconds(5);

export interface ApiProps {
  routes: readonly RouteSpec[];
  tables: Tables;
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
      const routes = this.httpApi.addRoutes({
        path: spec.path,
        methods: [spec.method.toUpperCase() as apigw.HttpMethod],
        integration: new HttpLambdaIntegration(`${spec.name}-integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        }),
      });
      if (spec.runsAcorns) {
        routeSettings[routeKey(spec)] = {
          ThrottlingRateLimit: settings.runThrottleRateLimit,
          ThrottlingBurstLimit: settings.runThrottleBurstLimit,
        };
        // A stage's route settings may only name routes that already exist.
        for (const route of routes) this.stage.node.addDependency(route);
      }
      return { spec, fn };
    });
    if (Object.keys(routeSettings).length) {
      (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    }
  }

  /** Tells every function the origin allowed by CORS (the SPA's, known only once CloudFront exists). */
  allowOrigin(origin: string): void {
    for (const { fn } of this.functions) fn.addEnvironment('CORS_ORIGIN', origin);
  }

  /**
   * Makes every function refuse (403) requests without the header CloudFront adds with this value
   * (`ORIGIN_SECRET`): the execute-api URL stays reachable, but only through CloudFront does a request work.
   */
  requireOriginSecret(value: string): void {
    for (const { fn } of this.functions) fn.addEnvironment('ORIGIN_SECRET', value);
  }

  /** The HTTP API's domain, for CloudFront's origin. */
  get domainName(): string {
    return `${this.httpApi.apiId}.execute-api.${this.httpApi.stack.region}.${this.httpApi.stack.urlSuffix}`;
  }

  private routeFunction(spec: RouteSpec, props: ApiProps): nodejs.NodejsFunction {
    const { settings, tables } = props;
    const bundle = lambdaBundleSettings(spec);
    const id = spec.name.replaceAll('.', '-');
    const environment: Record<string, string> = { ...tables.environment(), CLIENT_IP_HEADER: clientIpHeader };
    if (spec.runsAcorns) {
      // isolated-vm needs it on Node 20+; each execution environment runs one acorn at a time.
      environment.NODE_OPTIONS = '--no-node-snapshot';
      environment.RUN_WORKERS = '1';
      environment.RUN_MAX_TIMEOUT_MS = String(settings.runMaxTimeoutMs);
    }
    const fn = new nodejs.NodejsFunction(this, id, {
      description: `SquirrelBin ${routeKey(spec)} (${spec.name})`,
      entry: bundle.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture,
      memorySize: spec.runsAcorns ? settings.runMemoryMb : settings.apiMemoryMb,
      // Runs may use this many execution environments and no more, so they never take the ones the rest needs.
      reservedConcurrentExecutions:
        spec.runsAcorns && settings.runReservedConcurrency > 0 ? settings.runReservedConcurrency : undefined,
      timeout: spec.runsAcorns
        ? Duration.millis(settings.runMaxTimeoutMs).plus(runTimeoutMargin)
        : Duration.seconds(10),
      environment,
      logGroup: new logs.LogGroup(this, `${id}-logs`, { retention: retention(settings.logRetentionDays) }),
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
            const files = shippedFiles(spec);
            return files.length ? copyCommands(files, inputDir, outputDir) : [];
          },
        },
      },
    });
    Tags.of(fn).add(endpointTag, spec.name);
    this.grantStoreAccess(fn, spec, tables);
    return fn;
  }

  /**
   * Least privilege from the route's declared access; a rate-limit token is one conditional UpdateItem. No function
   * touches the metrics table: metrics are EMF lines in the function's logs, read back from CloudWatch (decision 006).
   */
  private grantStoreAccess(fn: lambda.IFunction, spec: RouteSpec, tables: Tables): void {
    for (const name of ['acorns', 'identities'] as const) {
      const access = spec.access[name];
      if (access === 'write') tables.byName[name].grantReadWriteData(fn);
      else if (access === 'read') tables.byName[name].grantReadData(fn);
    }
    // Neither action can be narrowed to a namespace or resource.
    if (spec.access.metrics) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], resources: ['*'] }),
      );
    }
    if (spec.access.limits === 'write') tables.byName.limits.grant(fn, 'dynamodb:UpdateItem');
  }
}

function retention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (!allowed.includes(days)) throw new Error(`context logRetentionDays: ${days} is not one of ${allowed.join(', ')}`);
  return days as logs.RetentionDays;
}
