/**
 * What keeps the deployed API from being flooded or bypassed: stage and run-route throttles, reserved
 * concurrency for the run functions, the CloudFront origin secret, no published API URL, the shared
 * rate-limit table, and list indexes that carry only what lists return.
 */

import { AcornSummary } from '@squirrelbin/schemas';
import { tableDefinitions } from '@squirrelbin/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointTag, routeKeys } from '../src/api.ts';
import { routeSpecs, synthTemplate } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Template = ReturnType<typeof synthTemplate>;

const runRoutes = routeSpecs.filter((spec) => spec.runsAcorns);
const limitedRoutes = routeSpecs.filter((spec) => spec.access.limits === 'write');

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function routeFunctions(template: Template): Map<string, { id: string; props: Record<string, unknown> }> {
  const found = new Map<string, { id: string; props: Record<string, unknown> }>();
  for (const [id, resource] of resources(template, 'AWS::Lambda::Function')) {
    const tags = (resource.Properties.Tags ?? []) as { Key: string; Value: string }[];
    const endpoint = tags.find((tag) => tag.Key === endpointTag)?.Value;
    if (endpoint) found.set(endpoint, { id, props: resource.Properties });
  }
  return found;
}

const environment = (props: Record<string, unknown>) =>
  (props.Environment as { Variables: Record<string, unknown> }).Variables;

describe('stack hardening', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  }, 120_000);

  it('throttles the stage at 1,000 requests/s and each run route on its own, below it', () => {
    const [[, stage]] = resources(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
    // Every key of every run route, the endpoint's two included.
    expect(runRoutes.flatMap(routeKeys).sort()).toEqual([
      'ANY /x/{id}',
      'ANY /x/{id}/{proxy+}',
      'POST /api/acorns/{id}/run',
      'POST /api/run',
    ]);
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(
        runRoutes.flatMap(routeKeys).map((key) => [key, { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 100 }]),
      ),
    );
    // Route settings can only name routes that exist: the stage is created after them.
    const routes = resources(template, 'AWS::ApiGatewayV2::Route');
    for (const key of runRoutes.flatMap(routeKeys)) {
      const [routeId] = routes.find(([, route]) => route.Properties.RouteKey === key)!;
      expect(stage.DependsOn).toContain(routeId);
    }
  });

  it('reserves (and caps) the concurrency of the functions that run acorns, and of no other', () => {
    for (const [name, { props }] of routeFunctions(template)) {
      const runs = runRoutes.some((spec) => spec.name === name);
      expect(props.ReservedConcurrentExecutions, name).toBe(runs ? 100 : undefined);
    }
  });

  it('sends a generated origin secret from CloudFront to the API, and gives it to every function', () => {
    const secrets = resources(template, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret.Properties.SecretString).toBeUndefined();

    const [[, distribution]] = resources(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig as {
      Origins: { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
      CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
    };
    const apiOriginId = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!.TargetOriginId;
    const apiOrigin = config.Origins.find((origin) => origin.Id === apiOriginId)!;
    // The API checks this very name (apps/api/src/middleware/origin-secret.ts).
    expect(apiOrigin.OriginCustomHeaders).toHaveLength(1);
    const header = apiOrigin.OriginCustomHeaders![0]!;
    expect(header.HeaderName).toBe('x-squirrelbin-origin-secret');
    // A dynamic reference, resolved at deploy: the value is in no template and no file.
    const value = JSON.stringify(header.HeaderValue);
    expect(value).toContain('{{resolve:secretsmanager:');
    expect(value).toContain(`"${secretId}"`);
    // Only the SPA's own bucket origin carries no such header.
    expect(config.Origins.filter((origin) => origin.OriginCustomHeaders)).toHaveLength(1);

    for (const [name, { props }] of routeFunctions(template)) {
      expect(environment(props).ORIGIN_SECRET, name).toEqual(header.HeaderValue);
    }
  });

  it('publishes no URL of the HTTP API, only the CloudFront one and the table names', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    const [apiId] = resources(template, 'AWS::ApiGatewayV2::Api')[0]!;
    for (const [name, output] of Object.entries(outputs)) {
      expect(JSON.stringify(output.Value), name).not.toContain(`"${apiId}"`);
      expect(JSON.stringify(output.Value), name).not.toContain('execute-api');
    }
    expect(outputs.ApiEndpoint).toBeUndefined();
    expect(outputs.LimitsTable?.Description).toBe('LIMITS_TABLE');
  });

  it('keeps rate-limit counters in their own table, with TTL, writable only by the routes that take tokens', () => {
    expect(limitedRoutes.map((spec) => spec.name).sort()).toEqual([
      'acorns.create',
      'acorns.fork',
      'acorns.run',
      'endpoints.call',
      'identities.create',
      'run.code',
    ]);
    const [limitsId] = resources(template, 'AWS::DynamoDB::Table').find(
      ([, table]) =>
        JSON.stringify(table.Properties.KeySchema) === JSON.stringify([{ AttributeName: 'pk', KeyType: 'HASH' }]),
    )!;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const policies = resources(template, 'AWS::IAM::Policy');
    for (const [name, { props }] of routeFunctions(template)) {
      expect(environment(props).LIMITS_TABLE, name).toEqual({ Ref: limitsId });
      const roleId = (props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const actions = policies
        .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
        .flatMap(
          ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        )
        .filter((statement) => JSON.stringify(statement.Resource).includes(`"${limitsId}"`))
        .flatMap((statement) => [statement.Action].flat());
      const limited = limitedRoutes.some((spec) => spec.name === name);
      expect(actions, name).toEqual(limited ? ['dynamodb:UpdateItem'] : []);
    }
  });

  it('lets list indexes carry only what a list returns: no code, every summary field, the search text', () => {
    const acorns = tableDefinitions.find((definition) => definition.logicalName === 'acorns')!;
    const [, table] = resources(template, 'AWS::DynamoDB::Table').find(([, t]) =>
      JSON.stringify(t.Properties.GlobalSecondaryIndexes ?? []).includes('public-newest'),
    )!;
    const indexes = table.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string }[];
      Projection: { ProjectionType: string; NonKeyAttributes: string[] };
    }[];
    expect(indexes.map((index) => index.IndexName)).toEqual(acorns.globalIndexes.map((index) => index.name));
    for (const index of indexes) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      expect([...index.Projection.NonKeyAttributes].sort()).toEqual(
        [...Object.keys(AcornSummary.shape), 'search'].sort(),
      );
      expect(index.Projection.NonKeyAttributes).not.toContain('code');
    }
    // The public index is keyed by the month partition (`gsiPublic = PUBLIC#<yyyy-mm>`, see the store's tests).
    expect(indexes.find((index) => index.IndexName === 'public-newest')!.KeySchema.map((k) => k.AttributeName)).toEqual(
      ['gsiPublic', 'gsiCreated'],
    );
  });

  it('takes throttles, reserved concurrency and indexes to leave out from context', { timeout: 120_000 }, () => {
    const custom = synthTemplate({
      runThrottleRateLimit: '7',
      runThrottleBurstLimit: 9,
      runReservedConcurrency: '0',
      omitIndexes: 'public-newest',
    });
    const [[, stage]] = resources(custom, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    for (const key of runRoutes.flatMap(routeKeys)) {
      expect((stage.Properties.RouteSettings as Record<string, unknown>)[key], key).toEqual({
        ThrottlingRateLimit: 7,
        ThrottlingBurstLimit: 9,
      });
    }
    for (const { props } of routeFunctions(custom).values()) expect(props.ReservedConcurrentExecutions).toBeUndefined();
    const indexes = resources(custom, 'AWS::DynamoDB::Table').flatMap(([, table]) =>
      ((table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName),
    );
    expect(indexes).toEqual(['owner-newest']);
    expect(() => synthTemplate({ omitIndexes: 'no-such-index' })).toThrow(/omitIndexes: no index no-such-index/);
  });
});
