/**
 * Acorn endpoints on AWS (DESIGN.md, "Endpoints"): `ANY /x/{id}` and `ANY /x/{id}/{proxy+}` to one run function,
 * CloudFront's `/x/*` behavior in front of it (every method, never cached, the viewer's Host passed on), the
 * invocations table and the grants of the routes that write and read it. The bundled function itself is exercised in
 * lambda-bundles.test.ts.
 */
import type { RouteSpec } from '@squirrelbin/api/route';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointTag, readDataActions, routeKeys, storeGrants } from '../src/api.ts';
import { SquirrelBinStack } from '../src/stack.ts';
import { clientIpHeader, endpointPathPatterns, forwardedHostHeader, forwardedProtoHeader } from '../src/web.ts';
import { routeSpecs, synthStack, tableLogicalIds } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Template = ReturnType<typeof synthStack>['template'];
interface Behavior {
  PathPattern: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ResponseHeadersPolicyId?: unknown;
  Compress?: boolean;
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}

// CloudFront's managed policies, by id.
const managedCachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
/** Every viewer header but Host (API Gateway routes by its own), every cookie, the whole query string. */
const managedAllViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const endpointSpec = routeSpecs.find((spec) => spec.name === 'endpoints.call')!;

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

const variablesOf = (props: Record<string, unknown>) =>
  (props.Environment as { Variables: Record<string, unknown> }).Variables;

/** Table → actions a function's role may take on it. */
function grantedActions(template: Template, props: Record<string, unknown>, tables: Record<string, string>) {
  const roleId = (props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const byTable: Record<string, string[]> = {};
  for (const [, policy] of resources(template, 'AWS::IAM::Policy')) {
    if (!JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`)) continue;
    const statements = (
      policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
    ).Statement;
    for (const statement of statements) {
      for (const [name, id] of Object.entries(tables)) {
        if (!JSON.stringify(statement.Resource).includes(`"${id}"`)) continue;
        byTable[name] = [...(byTable[name] ?? []), ...[statement.Action].flat()].sort();
      }
    }
  }
  return byTable;
}

describe('acorn endpoints in the stack', () => {
  let template: Template;
  let tables: Record<string, string>;
  beforeAll(() => {
    const synthesized = synthStack();
    template = synthesized.template;
    tables = tableLogicalIds(synthesized.stack);
  }, 120_000);

  it("derives every route key as the API does (routeKeysOf), the endpoint's two included", async () => {
    // Not an export of the API package; loaded by path, at run time (type-checking stays within infra's project).
    const app = new URL('../../apps/api/src/app.ts', import.meta.url).href;
    const { routeKeysOf } = (await import(app)) as { routeKeysOf: (spec: RouteSpec) => string[] };
    for (const spec of routeSpecs) expect(routeKeys(spec), spec.name).toEqual(routeKeysOf(spec));
    expect(routeKeys(endpointSpec)).toEqual(['ANY /x/{id}', 'ANY /x/{id}/{proxy+}']);
  });

  it('routes ANY /x/{id} and ANY /x/{id}/{proxy+} to one function, through one integration, and may invoke it for both', () => {
    const routes = resources(template, 'AWS::ApiGatewayV2::Route');
    const integrations = resources(template, 'AWS::ApiGatewayV2::Integration');
    const fn = routeFunctions(template).get('endpoints.call')!;
    const targets = routeKeys(endpointSpec).map((key) => {
      const [, route] = routes.find(([, r]) => r.Properties.RouteKey === key) ?? [];
      expect(route, key).toBeDefined();
      const target = JSON.stringify(route!.Properties.Target);
      const [integrationId, integration] = integrations.find(([id]) => target.includes(`"${id}"`))!;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(`"${fn.id}"`);
      return integrationId;
    });
    expect(new Set(targets).size).toBe(1);
    // No other route reaches this function.
    const others = integrations.filter(
      ([id, integration]) =>
        id !== targets[0] && JSON.stringify(integration.Properties.IntegrationUri).includes(`"${fn.id}"`),
    );
    expect(others).toEqual([]);
    // API Gateway may invoke it for either path (each route adds its own permission).
    const sourceArns = resources(template, 'AWS::Lambda::Permission')
      .filter(([, permission]) => JSON.stringify(permission.Properties.FunctionName).includes(`"${fn.id}"`))
      .map(([, permission]) => JSON.stringify(permission.Properties.SourceArn));
    expect(sourceArns).toHaveLength(2);
    expect(sourceArns.some((arn) => arn.endsWith('/*/*/x/{id}"]]}'))).toBe(true);
    expect(sourceArns.some((arn) => arn.endsWith('/*/*/x/{id}/{proxy+}"]]}'))).toBe(true);
  });

  it('runs the endpoint function like the run functions: sandbox, memory, timeout, reserved concurrency', () => {
    const { props } = routeFunctions(template).get('endpoints.call')!;
    expect(endpointSpec.runsAcorns).toBe(true);
    expect(variablesOf(props)).toMatchObject({
      NODE_OPTIONS: '--no-node-snapshot',
      RUN_WORKERS: '1',
      RUN_MAX_TIMEOUT_MS: '10000',
      CLIENT_IP_HEADER: clientIpHeader,
    });
    expect(JSON.stringify(variablesOf(props).ORIGIN_SECRET)).toContain('{{resolve:secretsmanager:');
    expect(props).toMatchObject({
      MemorySize: 1024,
      Timeout: 15,
      ReservedConcurrentExecutions: 100,
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
    });
  });

  it('tells only the endpoint function to trust the forwarded host and scheme, which CloudFront sets on /x', () => {
    for (const [name, { props }] of routeFunctions(template)) {
      const variables = variablesOf(props);
      if (name === 'endpoints.call') {
        expect(variables.FORWARDED_HOST_HEADER).toBe('x-forwarded-host');
        expect(variables.FORWARDED_PROTO_HEADER).toBe('cloudfront-forwarded-proto');
      } else {
        // On /api/* nothing overwrites them, so a viewer could set them: no /api function may trust them.
        expect(variables.FORWARDED_HOST_HEADER, name).toBeUndefined();
        expect(variables.FORWARDED_PROTO_HEADER, name).toBeUndefined();
      }
    }
    expect([forwardedHostHeader, forwardedProtoHeader]).toEqual(['x-forwarded-host', 'cloudfront-forwarded-proto']);
  });

  it('grants the endpoint only BatchWriteItem on invocations, and the invocation list only reads', () => {
    const functions = routeFunctions(template);
    const endpoint = grantedActions(template, functions.get('endpoints.call')!.props, tables);
    expect(endpoint).toEqual({
      acorns: [...readDataActions].sort(),
      limits: ['dynamodb:UpdateItem'],
      invocations: ['dynamodb:BatchWriteItem'],
    });
    expect(storeGrants(endpointSpec).invocations).toEqual(['dynamodb:BatchWriteItem']);
    const list = grantedActions(template, functions.get('invocations.list')!.props, tables);
    expect(list).toEqual({
      acorns: [...readDataActions].sort(),
      identities: [...readDataActions].sort(),
      invocations: [...readDataActions].sort(),
    });
    // Nobody else touches the invocations table.
    for (const [name, { props }] of functions) {
      if (name === 'endpoints.call' || name === 'invocations.list') continue;
      expect(grantedActions(template, props, tables).invocations, name).toBeUndefined();
    }
    // The invocations table: on-demand, TTL on expiresAt (records go after 7 days at no write cost).
    const [, table] = resources(template, 'AWS::DynamoDB::Table').find(([id]) => id === tables.invocations)!;
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('sends /x/* (and /x) to the API: every method, whole query, every header but Host, never cached', () => {
    const [[, distribution]] = resources(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig as {
      CacheBehaviors: Behavior[];
      Origins: { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
    };
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!;
    const viewerFunctions = resources(template, 'AWS::CloudFront::Function');
    expect(endpointPathPatterns).toEqual(['/x/*', '/x']);
    for (const pattern of endpointPathPatterns) {
      const behavior = config.CacheBehaviors.find((b) => b.PathPattern === pattern);
      expect(behavior, pattern).toBeDefined();
      expect(behavior).toMatchObject({
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: managedCachingDisabled,
        OriginRequestPolicyId: managedAllViewerExceptHostHeader,
        Compress: false,
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      // The API's origin, with the origin secret the functions require.
      expect(behavior!.TargetOriginId).toBe(api.TargetOriginId);
      const origin = config.Origins.find((o) => o.Id === behavior!.TargetOriginId)!;
      expect(origin.OriginCustomHeaders?.map((h) => h.HeaderName)).toEqual(['x-squirrelbin-origin-secret']);
      // One viewer-request function: the client address and the viewer's Host.
      expect(behavior!.FunctionAssociations).toHaveLength(1);
      const [association] = behavior!.FunctionAssociations!;
      expect(association!.EventType).toBe('viewer-request');
      const [functionId] = viewerFunctions.find(([id]) =>
        JSON.stringify(association!.FunctionARN).includes(`"${id}"`),
      )!;
      expect(viewerFunctions.find(([id]) => id === functionId)![1].Properties.FunctionCode as string).toContain(
        forwardedHostHeader,
      );
    }
  });

  it("keeps the API's sandbox CSP and nosniff on /x answers, imposes HSTS and drops Clear-Site-Data", () => {
    const [[, distribution]] = resources(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const behaviors = (distribution.Properties.DistributionConfig as { CacheBehaviors: Behavior[] }).CacheBehaviors;
    const endpoint = behaviors.find((b) => b.PathPattern === '/x/*')!;
    const policyId = (endpoint.ResponseHeadersPolicyId as { Ref: string }).Ref;
    expect(behaviors.find((b) => b.PathPattern === '/x')!.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const policy = template.toJSON().Resources[policyId] as Resource;
    expect(policy.Type).toBe('AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, unknown>;
      CustomHeadersConfig?: unknown;
      RemoveHeadersConfig?: { Items: { Header: string }[] };
    };
    // Nothing that would replace the API's Content-Security-Policy or X-Content-Type-Options, nor frame the page.
    expect(Object.keys(config.SecurityHeadersConfig)).toEqual(['StrictTransportSecurity']);
    expect(config.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31_536_000,
      Override: true,
    });
    expect(config.CustomHeadersConfig).toBeUndefined();
    expect(config.RemoveHeadersConfig?.Items).toEqual([{ Header: 'Clear-Site-Data' }]);
  });

  it('refuses a route CloudFront would not send to the API', { timeout: 120_000 }, () => {
    const stray = { ...endpointSpec, name: 'stray.call', path: '/elsewhere/{id}', proxyPath: undefined };
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(
      () =>
        new SquirrelBinStack(app, 'Stray', {
          routes: [...routeSpecs, stray],
          env: { account: '123456789012', region: 'eu-west-1' },
        }),
    ).toThrow(/no CloudFront behavior sends \/elsewhere\/\{id\} to the API/);
  });

  it("passes the viewer's Host and address on, overwriting what the viewer sent under those names", () => {
    const [, fn] = resources(template, 'AWS::CloudFront::Function').find(([, f]) =>
      (f.Properties.FunctionCode as string).includes(forwardedHostHeader),
    )!;
    const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (event: unknown) => {
      headers: Record<string, { value: string } | undefined>;
    };
    const request = handler({
      viewer: { ip: '198.51.100.9' },
      request: {
        method: 'POST',
        uri: '/x/abc/users/7',
        headers: {
          host: { value: 'd111111abcdef8.cloudfront.net' },
          'x-forwarded-host': { value: 'evil.example' },
          [clientIpHeader]: { value: '127.0.0.1' },
        },
      },
    });
    expect(request.headers['x-forwarded-host']).toEqual({ value: 'd111111abcdef8.cloudfront.net' });
    expect(request.headers[clientIpHeader]).toEqual({ value: '198.51.100.9' });
    expect(request.headers.host).toEqual({ value: 'd111111abcdef8.cloudfront.net' });
    const hostless = handler({
      viewer: { ip: '198.51.100.9' },
      request: { uri: '/x/abc', headers: { 'x-forwarded-host': { value: 'evil.example' } } },
    });
    expect(hostless.headers['x-forwarded-host']).toBeUndefined();
  });
});
