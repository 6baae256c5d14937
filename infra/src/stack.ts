/**
 * The SquirrelBin stack: tables, one Lambda per route verb behind an HTTP API, the jobs queue and its worker, the SPA
 * on CloudFront, alarms.
 */
import { resolve } from 'node:path';
import type { RouteSpec } from '@squirrelbin/api/route';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Jobs } from './jobs.ts';
import { repoRoot } from './lambda-bundle.ts';
import { Observability } from './observability.ts';
import { readSettings } from './settings.ts';
import { Tables, tableVariable } from './tables.ts';
import { forwardedHostHeader, forwardedProtoHeader, isEndpointPath, Web } from './web.ts';

export interface SquirrelBinStackProps extends StackProps {
  /** The API's route table (specs only). */
  routes: readonly RouteSpec[];
}

export class SquirrelBinStack extends Stack {
  readonly tables: Tables;
  readonly jobs: Jobs;
  readonly api: Api;
  readonly web: Web;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: SquirrelBinStackProps) {
    super(scope, id, props);
    const settings = readSettings(this.node);
    // CloudFront sends only `/api/*` and the endpoints (`/x…`) to the API: a route elsewhere would be unreachable.
    const unreachable = props.routes.filter((spec) => !spec.path.startsWith('/api/') && !isEndpointPath(spec.path));
    if (unreachable.length) {
      throw new Error(`no CloudFront behavior sends ${unreachable.map((spec) => spec.path).join(', ')} to the API`);
    }

    this.tables = new Tables(this, 'Tables', {
      deletionProtection: settings.deletionProtection,
      omitIndexes: settings.omitIndexes,
    });
    this.jobs = new Jobs(this, 'Jobs', { tables: this.tables, settings });
    this.api = new Api(this, 'Api', { routes: props.routes, tables: this.tables, jobQueue: this.jobs.queue, settings });
    this.web = new Web(this, 'Web', {
      apiDomainName: this.api.domainName,
      webDist: resolve(repoRoot, settings.webDist),
    });
    // No cycle: the functions need the distribution, which needs only the HTTP API resource, not its routes.
    this.api.allowOrigin(settings.corsOrigin ?? this.web.url);
    this.api.requireOriginSecret(this.web.originSecretValue);
    // The endpoint behaviors set these for the endpoint functions; nothing sets them on /api/*, so no /api function
    // may trust them.
    this.api.trustForwardedHeaders({ host: forwardedHostHeader, proto: forwardedProtoHeader }, (spec) =>
      isEndpointPath(spec.path),
    );
    this.observability = new Observability(this, 'Observability', {
      routes: props.routes,
      httpApi: this.api.httpApi,
      jobs: this.jobs,
      settings,
    });

    new CfnOutput(this, 'Url', {
      value: this.web.url,
      description: 'The SPA, with the API under /api and endpoint acorns under /x',
    });
    // No output for the HTTP API's own URL: only requests through CloudFront carry the origin secret.
    new CfnOutput(this, 'Dashboard', { value: this.observability.dashboard.dashboardName });
    // For inspecting and redriving failed job steps (infra/README.md, "Jobs").
    new CfnOutput(this, 'JobsDeadLetterQueue', {
      value: this.jobs.deadLetterQueue.queueUrl,
      description: 'Job steps that failed; redrive them to the jobs queue once the cause is fixed',
    });
    // For the admin CLI (`npm run admin -- create-key`) pointed at AWS: it reads the same variables as the API.
    for (const [name, table] of Object.entries(this.tables.byName)) {
      const id = `${name[0]!.toUpperCase()}${name.slice(1)}Table`; // AcornsTable, …, LimitsTable
      new CfnOutput(this, id, { value: table.tableName, description: tableVariable(name as keyof Tables['byName']) });
    }
  }
}
