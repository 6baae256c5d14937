/** The SquirrelBin stack: tables, one Lambda per route verb behind an HTTP API, the SPA on CloudFront, alarms. */
import { resolve } from 'node:path';
import type { RouteSpec } from '@squirrelbin/api/route';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { repoRoot } from './lambda-bundle.ts';
import { Observability } from './observability.ts';
import { readSettings } from './settings.ts';
import { Tables } from './tables.ts';
import { Web } from './web.ts';

export interface SquirrelBinStackProps extends StackProps {
  /** The API's route table (specs only). */
  routes: readonly RouteSpec[];
}

export class SquirrelBinStack extends Stack {
  readonly tables: Tables;
  readonly api: Api;
  readonly web: Web;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: SquirrelBinStackProps) {
    super(scope, id, props);
    const settings = readSettings(this.node);

    this.tables = new Tables(this, 'Tables', { deletionProtection: settings.deletionProtection });
    this.api = new Api(this, 'Api', { routes: props.routes, tables: this.tables, settings });
    this.web = new Web(this, 'Web', {
      apiDomainName: this.api.domainName,
      webDist: resolve(repoRoot, settings.webDist),
    });
    // No cycle: the functions need the distribution, which needs only the HTTP API resource, not its routes.
    this.api.allowOrigin(settings.corsOrigin ?? this.web.url);
    this.observability = new Observability(this, 'Observability', {
      routes: props.routes,
      httpApi: this.api.httpApi,
      settings,
    });

    new CfnOutput(this, 'Url', { value: this.web.url, description: 'The SPA, with the API under /api' });
    new CfnOutput(this, 'ApiEndpoint', { value: this.api.httpApi.apiEndpoint, description: 'The HTTP API directly' });
    new CfnOutput(this, 'Dashboard', { value: this.observability.dashboard.dashboardName });
    // For the admin CLI (`npm run admin -- create-key`) pointed at AWS: it reads the same variables as the API.
    const names = this.tables.byName;
    new CfnOutput(this, 'AcornsTable', { value: names.acorns.tableName, description: 'ACORNS_TABLE' });
    new CfnOutput(this, 'IdentitiesTable', { value: names.identities.tableName, description: 'IDENTITIES_TABLE' });
    new CfnOutput(this, 'MetricsTable', { value: names.metrics.tableName, description: 'METRICS_TABLE' });
  }
}
