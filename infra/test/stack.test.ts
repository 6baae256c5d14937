import { tableDefinitions } from '@squirrelbin/store';
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointTag, readDataActions, readWriteDataActions, routeKeys, storeGrants } from '../src/api.ts';
import { routeSpecs, synthStack, synthTemplate, tableLogicalIds } from './synth.ts';

/** The HTTP API table of DESIGN.md. */
const designRouteKeys = [
  'GET /api/health',
  'GET /api/openapi.json',
  'POST /api/identities',
  'GET /api/identities/me',
  'GET /api/acorns',
  'POST /api/acorns',
  'GET /api/acorns/{id}',
  'PATCH /api/acorns/{id}',
  'DELETE /api/acorns/{id}',
  'GET /api/acorns/{id}/revisions',
  'GET /api/acorns/{id}/revisions/{version}',
  'POST /api/acorns/{id}/fork',
  'POST /api/acorns/{id}/run',
  'POST /api/run',
  'GET /api/admin/metrics',
  // Turn 2: acorns as live services.
  'ANY /x/{id}',
  'ANY /x/{id}/{proxy+}',
  'GET /api/acorns/{id}/invocations',
  'GET /api/acorns/{id}/metrics',
  // Issue 15: jobs.
  'POST /api/acorns/{id}/jobs',
  'GET /api/acorns/{id}/jobs',
  'GET /api/jobs/{jobId}',
  'GET /api/jobs/{jobId}/results',
  'GET /api/jobs/{jobId}/events',
  'DELETE /api/jobs/{jobId}',
];

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Template = ReturnType<typeof synthTemplate>;
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Route functions by endpoint name, told apart from CDK's helper functions by their tag. */
function routeFunctions(template: Template): Map<string, { id: string; props: Record<string, unknown> }> {
  const found = new Map<string, { id: string; props: Record<string, unknown> }>();
  for (const [id, resource] of Object.entries(
    template.findResources('AWS::Lambda::Function') as Record<string, Resource>,
  )) {
    const tags = (resource.Properties.Tags ?? []) as { Key: string; Value: string }[];
    const endpoint = tags.find((tag) => tag.Key === endpointTag)?.Value;
    if (endpoint) found.set(endpoint, { id, props: resource.Properties });
  }
  return found;
}

/** Every IAM statement of a function's role, as (table logical name or other) → actions. */
function tableActions(template: Template, functionProps: Record<string, unknown>, tables: Record<string, string>) {
  const roleId = (functionProps.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  }) as Record<string, Resource>;
  const byTable: Record<string, Set<string>> = {};
  for (const policy of Object.values(policies)) {
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    for (const statement of statements) {
      const resources = JSON.stringify(statement.Resource);
      const actions = [statement.Action].flat();
      for (const [name, id] of Object.entries(tables)) {
        if (!resources.includes(`"${id}"`)) continue;
        byTable[name] ??= new Set();
        for (const action of actions) byTable[name].add(action);
      }
    }
  }
  return byTable;
}

describe('SquirrelBin stack', () => {
  let template: Template;
  let tableIds: () => Record<string, string>;
  beforeAll(() => {
    const synthesized = synthStack();
    template = synthesized.template;
    const ids = tableLogicalIds(synthesized.stack);
    tableIds = () => ids;
    // Synthesizing takes seconds alone, much longer beside the bundle test on a busy machine.
  }, 120_000);

  it('has one Lambda per route verb of the API table, on Node 24 x86_64', () => {
    const functions = routeFunctions(template);
    expect(functions.size).toBe(routeSpecs.length);
    expect([...functions.keys()].sort()).toEqual(routeSpecs.map((spec) => spec.name).sort());
    for (const { props } of functions.values()) {
      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Architectures).toEqual(['x86_64']);
      expect(props.Handler).toBe('index.handler');
    }
  });

  it('routes exactly the table, every DESIGN.md route to its own Lambda with payload 2.0, HEAD with GET', () => {
    const routesByKey = template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>;
    const keys = Object.values(routesByKey).map((route) => route.Properties.RouteKey as string);
    const heads = routeSpecs
      .filter((spec) => spec.method === 'get')
      .flatMap(routeKeys)
      .map((key) => key.replace(/^GET /, 'HEAD '));
    expect(keys.sort()).toEqual([...routeSpecs.flatMap(routeKeys), ...heads, '$default'].sort());
    expect(routeSpecs.flatMap(routeKeys)).toEqual(expect.arrayContaining(designRouteKeys));
    // `any` is every method already, HEAD included: no HEAD route beside it.
    expect(keys.filter((key) => key.startsWith('HEAD /x'))).toEqual([]);

    const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Record<string, Resource>;
    const functions = routeFunctions(template);
    const integrationOf = (key: string) => {
      const route = Object.values(routesByKey).find((r) => r.Properties.RouteKey === key)!;
      const target = JSON.stringify(route.Properties.Target);
      const id = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
      expect(id, `${key} has an integration`).toBeDefined();
      return id!;
    };
    const targets = new Set<string>();
    for (const spec of routeSpecs) {
      const [first, ...others] = routeKeys(spec);
      const integrationId = integrationOf(first!);
      const integration = integrations[integrationId]!.Properties;
      expect(integration.IntegrationType).toBe('AWS_PROXY');
      expect(integration.PayloadFormatVersion).toBe('2.0');
      expect(JSON.stringify(integration.IntegrationUri)).toContain(`"${functions.get(spec.name)!.id}"`);
      // A route's other keys (`ANY /x/{id}/{proxy+}`) go to the same function, through the same integration.
      for (const key of others) expect(integrationOf(key), key).toBe(integrationId);
      // HEAD goes to the GET route's function, which answers it without the body.
      if (spec.method === 'get') expect(integrationOf(`HEAD ${spec.path}`)).toBe(integrationId);
      targets.add(integrationId);
    }
    expect(targets.size).toBe(routeSpecs.length);
    // Whatever no route matched goes to the app's own 404/405, not API Gateway's.
    const fallback = integrations[integrationOf('$default')]!.Properties;
    expect(fallback.PayloadFormatVersion).toBe('2.0');
    expect(targets).not.toContain(integrationOf('$default'));
  });

  it('gives the $default function the route table and the origin check, and no store access', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Record<string, Resource>;
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>);
    const target = JSON.stringify(routes.find((route) => route.Properties.RouteKey === '$default')!.Properties.Target);
    const integration = Object.entries(integrations).find(([id]) => target.includes(`"${id}"`))![1];
    const [fallbackId, fallback] = Object.entries(functions).find(([id]) =>
      JSON.stringify(integration.Properties.IntegrationUri).includes(`"${id}"`),
    )!;
    expect(fallback.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
    const variables = (fallback.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.ROUTE_KEYS).toBe(routeSpecs.flatMap(routeKeys).join(','));
    expect(String(variables.ROUTE_KEYS).split(',')).toEqual(expect.arrayContaining(designRouteKeys));
    expect(JSON.stringify(variables.ORIGIN_SECRET)).toContain('{{resolve:secretsmanager:');
    expect(variables.ACORNS_TABLE).toBeUndefined();
    expect(tableActions(template, fallback.Properties, tableIds())).toEqual({});
    expect(fallbackId).toBeTruthy();
  });

  it('has no dependency cycle (the functions learn the CloudFront origin, CloudFront routes to the API)', () => {
    const resources = template.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
    const edges = new Map<string, string[]>();
    for (const [id, resource] of Object.entries(resources)) {
      const text = JSON.stringify({ ...resource, DependsOn: undefined });
      const refs = [...text.matchAll(/\{"Ref":"(\w+)"\}|\{"Fn::GetAtt":\["(\w+)"/g)].map((m) => m[1] ?? m[2]!);
      edges.set(
        id,
        [...refs, ...[resource.DependsOn ?? []].flat()].filter((ref) => ref in resources),
      );
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' → ')}`);
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
  });

  it('throttles the default stage, configurable by context', { timeout: 120_000 }, () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
    });
    synthTemplate({ throttleRateLimit: '7', throttleBurstLimit: 9 }).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
    });
  });

  it('defines the tables exactly as the store does: on-demand, PITR, deletion protection, TTL on metrics, limits and invocations', () => {
    const tables = template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>;
    expect(Object.keys(tables)).toHaveLength(tableDefinitions.length);
    const ids = tableIds();
    for (const definition of tableDefinitions) {
      const table = tables[ids[definition.logicalName]!]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
      });
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as unknown[];
      expect(indexes).toEqual(
        definition.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
        })),
      );
      const attributes = table.Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
      for (const key of [
        definition.partitionKey,
        definition.sortKey,
        ...definition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ]) {
        if (key) expect(attributes).toContainEqual({ AttributeName: key.name, AttributeType: key.type });
      }
      expect(table.Properties.TableName, 'physical names come from CloudFormation').toBeUndefined();
      if (definition.ttlAttribute) {
        expect(table.Properties.TimeToLiveSpecification).toEqual({
          AttributeName: definition.ttlAttribute,
          Enabled: true,
        });
      } else {
        expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
      }
    }
    // Invocation records (kept 7 days) go by TTL: DynamoDB deletes them at no write cost.
    expect(tableDefinitions.find((definition) => definition.logicalName === 'invocations')).toMatchObject({
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttlAttribute: 'expiresAt',
    });
    expect(tables[ids.invocations!]!.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('lets a stack without deletion protection be torn down with its tables', { timeout: 120_000 }, () => {
    const tables = synthTemplate({ deletionProtection: 'false' }).findResources('AWS::DynamoDB::Table') as Record<
      string,
      Resource
    >;
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('passes physical table names and the SPA origin to every function', () => {
    const ids = tableIds();
    const distribution = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    for (const { props } of routeFunctions(template).values()) {
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.ACORNS_TABLE).toEqual({ Ref: ids.acorns });
      expect(variables.IDENTITIES_TABLE).toEqual({ Ref: ids.identities });
      expect(variables.METRICS_TABLE).toEqual({ Ref: ids.metrics });
      expect(variables.LIMITS_TABLE).toEqual({ Ref: ids.limits });
      expect(variables.INVOCATIONS_TABLE).toEqual({ Ref: ids.invocations });
      expect(JSON.stringify(variables.CORS_ORIGIN)).toContain(`"${distribution}"`);
      expect(variables.CLIENT_IP_HEADER).toBe('x-squirrelbin-client-ip');
      expect(variables.DYNAMODB_ENDPOINT).toBeUndefined();
      expect(variables.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
    }
  });

  it('grants each function exactly the table actions storeGrants derives from its route (what the bundle test enforces)', () => {
    const ids = tableIds();
    const functions = routeFunctions(template);
    for (const spec of routeSpecs) {
      const actions = tableActions(template, functions.get(spec.name)!.props, ids);
      const granted = Object.fromEntries(Object.entries(actions).map(([table, set]) => [table, [...set].sort()]));
      const declared = Object.fromEntries(
        Object.entries(storeGrants(spec)).map(([table, list]) => [table, [...list].sort()]),
      );
      expect(granted, spec.name).toEqual(declared);
      for (const name of ['acorns', 'identities', 'invocations'] as const) {
        if (spec.access[name] === 'read') {
          for (const write of writeActions)
            expect(granted[name], `${spec.name} must not write ${name}`).not.toContain(write);
        }
      }
      // Recording an invocation is one PutItem: nothing to read, update or delete there (TTL deletes).
      if (spec.access.invocations === 'write') expect(granted.invocations).toEqual(['dynamodb:BatchWriteItem']);
      if (!spec.access.invocations) expect(granted.invocations, spec.name).toBeUndefined();
      // A route that reads the identity behind a key must be able to look it up.
      if (spec.auth !== 'none') expect(granted.identities, `${spec.name} looks keys up`).toContain('dynamodb:GetItem');
      // Metrics are EMF lines in each function's logs, read back from CloudWatch (decision 006): no table access.
      expect(granted.metrics, `${spec.name} on metrics`).toBeUndefined();
    }
    // No function may create or delete tables: CDK owns them.
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toMatch(/dynamodb:(CreateTable|DeleteTable|\*)/);
  });

  it("spells out exactly CDK's grantReadData and grantReadWriteData actions, on the table and its indexes", () => {
    const stack = new Stack(new App(), 'Grants');
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    table.addGlobalSecondaryIndex({ indexName: 'i', partitionKey: { name: 'g', type: dynamodb.AttributeType.STRING } });
    const actionsOf = (grant: (role: iam.Role) => void) => {
      const role = new iam.Role(stack, `Role${Math.random().toString(36).slice(2)}`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      grant(role);
      const document = role.node.findChild('DefaultPolicy') as iam.Policy;
      const statements = stack.resolve(document.document.toJSON()).Statement as Statement[];
      for (const statement of statements) {
        expect(JSON.stringify(statement.Resource)).toContain('/index/*');
      }
      return statements.flatMap((statement) => [statement.Action].flat()).sort();
    };
    expect(actionsOf((role) => table.grantReadData(role))).toEqual([...readDataActions].sort());
    expect(actionsOf((role) => table.grantReadWriteData(role))).toEqual([...new Set(readWriteDataActions)].sort());
    expect(actionsOf((role) => table.grant(role, ...readDataActions))).toEqual([...readDataActions].sort());
  });

  it('gives the functions that run acorns the sandbox environment, memory and timeout', () => {
    const functions = routeFunctions(template);
    const runners = routeSpecs.filter((spec) => spec.runsAcorns);
    expect(runners.map((spec) => spec.name).sort()).toEqual(['acorns.run', 'endpoints.call', 'run.code']);
    for (const spec of routeSpecs) {
      const props = functions.get(spec.name)!.props;
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      if (spec.runsAcorns) {
        expect(variables.NODE_OPTIONS).toBe('--no-node-snapshot');
        expect(variables.RUN_WORKERS).toBe('1');
        expect(variables.RUN_MAX_TIMEOUT_MS).toBe('10000');
        expect(props.MemorySize).toBe(1024);
        expect(props.Timeout).toBe(15);
      } else {
        expect(variables.NODE_OPTIONS).toBeUndefined();
        expect(props.MemorySize).toBe(512);
        expect(props.Timeout).toBe(10);
      }
    }
  });

  it('keeps the SPA bucket private: all public access blocked, SSL only, readable only by this distribution', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const distribution = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Record<string, Resource>);
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const readers = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' && [statement.Action].flat().some((a) => a.startsWith('s3:GetObject')),
    );
    expect(readers).toHaveLength(1);
    expect(readers[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    const condition = JSON.stringify(readers[0]!.Condition);
    expect(condition).toContain('AWS:SourceArn');
    expect(condition).toContain(`"${distribution}"`);
  });

  it('serves the SPA with an index.html fallback and /api/* from the HTTP API, compressed and uncached', () => {
    const api = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    const distribution = Object.values(
      template.findResources('AWS::CloudFront::Distribution') as Record<string, Resource>,
    )[0]!;
    const config = distribution.Properties.DistributionConfig as Record<string, unknown>;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toBeUndefined();
    const behaviors = config.CacheBehaviors as Record<string, unknown>[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/api/*', '/x/*', '/x', '/embed/*']);
    expect(behaviors[0]).toMatchObject({
      PathPattern: '/api/*',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      Compress: true,
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    // Compressed at the edge, kept nowhere: a policy of our own with Accept-Encoding in the key and zero TTLs.
    const apiPolicyId = (behaviors[0]!.CachePolicyId as { Ref: string }).Ref;
    const policy = template.findResources('AWS::CloudFront::CachePolicy')[apiPolicyId] as Resource;
    expect(policy.Properties.CachePolicyConfig).toMatchObject({
      DefaultTTL: 0,
      MinTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true },
    });
    const origins = config.Origins as { Id: string; DomainName: unknown }[];
    const apiOrigin = origins.find((origin) => origin.Id === behaviors[0]!.TargetOriginId)!;
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(`"${api}"`);
    expect(behaviors[0]!.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    const defaultBehavior = config.DefaultCacheBehavior as { FunctionAssociations: { EventType: string }[] };
    expect(defaultBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
  });

  it("stamps API requests with the viewer's address, overwriting what the viewer sent", () => {
    const fn = Object.values(template.findResources('AWS::CloudFront::Function') as Record<string, Resource>).find(
      (f) => (f.Properties.FunctionCode as string).includes('event.viewer.ip'),
    )!;
    const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (event: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const request = handler({
      viewer: { ip: '198.51.100.9' },
      request: { uri: '/api/run', headers: { 'x-squirrelbin-client-ip': { value: '127.0.0.1' } } },
    });
    expect(request.headers['x-squirrelbin-client-ip']).toEqual({ value: '198.51.100.9' });
  });

  it('rewrites SPA routes, not files, to /index.html', () => {
    const fn = Object.values(template.findResources('AWS::CloudFront::Function') as Record<string, Resource>).find(
      (f) => (f.Properties.FunctionCode as string).includes('index.html'),
    )!;
    const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (event: unknown) => {
      uri: string;
    };
    const uri = (path: string) => handler({ request: { uri: path } }).uri;
    expect(uri('/')).toBe('/index.html');
    expect(uri('/acorns/abc123')).toBe('/index.html');
    expect(uri('/admin')).toBe('/index.html');
    expect(uri('/assets/index-4f2a.js')).toBe('/assets/index-4f2a.js');
    expect(uri('/favicon.ico')).toBe('/favicon.ico');
    // The API's paths never are the SPA (their behaviors send them to the API before this could run).
    for (const path of ['/x', '/x/', '/x/abc123', '/x/abc123/users/7', '/api', '/api/nothing']) {
      expect(uri(path), path).toBe(path);
    }
    expect(uri('/xylophone')).toBe('/index.html');
    expect(uri('/apiary')).toBe('/index.html');
  });

  it('alarms on 5xx rate and p99 latency per endpoint, from the metrics namespace', () => {
    for (const spec of routeSpecs) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'latency',
        Namespace: 'SquirrelBin',
        ExtendedStatistic: 'p99',
        Dimensions: [{ Name: 'endpoint', Value: spec.name }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                MetricName: 'status5xx',
                Namespace: 'SquirrelBin',
                Dimensions: [{ Name: 'endpoint', Value: spec.name }],
              },
            }),
          }),
        ]),
      });
    }
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(dashboards);
    for (const spec of routeSpecs) expect(body).toContain(`\\"endpoint\\",\\"${spec.name}\\"`);
  });
});
