/**
 * The SPA on AWS: hashed assets uploaded immutable and kept across deploys, index.html no-cache, CloudFront
 * compressing at the edge, and the embed view (`/embed/*`) frameable by any site while everything else keeps
 * X-Frame-Options: SAMEORIGIN. Synthesized offline from a small fake build, so it needs no `npm run build`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SquirrelBinStack } from '../src/stack.ts';
import { immutableCacheControl, revalidateCacheControl } from '../src/web.ts';
import { routeSpecs } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: string;
  Compress?: boolean;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  ViewerProtocolPolicy: string;
}

// CloudFront's managed policies, by id.
const managedSecurityHeaders = '67f7725c-6f97-4210-82d7-5512b31e9d03';
const managedCachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';

function synth(webDist: string, outdir: string) {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], webDist } });
  const stack = new SquirrelBinStack(app, 'Test', {
    routes: routeSpecs,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const assembly = app.synth();
  return Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
}

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

describe('the SPA on CloudFront and S3', () => {
  let dir: string;
  let out: string;
  let template: Template;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'squirrelbin-web-test-'));
    out = join(dir, 'cdk.out');
    // What `vite build` leaves: index.html, hashed assets with their .br/.gz, and the manifest.
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    mkdirSync(join(dist, '.vite'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(join(dist, 'index.html.gz'), 'gz');
    writeFileSync(join(dist, 'assets/index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dist, 'assets/index-abc123.js.br'), 'br');
    writeFileSync(join(dist, 'assets/index-abc123.js.gz'), 'gz');
    writeFileSync(join(dist, 'assets/index-def456.css'), 'body{}');
    writeFileSync(join(dist, '.vite/manifest.json'), '{}');
    template = synth(dist, out);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const deployments = () => resources(template, 'Custom::CDKBucketDeployment');
  /** The files a deployment uploads, from the asset CDK staged for it. */
  const uploaded = (resource: Resource) => {
    const [key] = resource.Properties.SourceObjectKeys as string[];
    const staged = join(out, `asset.${key!.replace(/\.zip$/, '')}`);
    return (readdirSync(staged, { recursive: true }) as string[]).sort();
  };
  const distributionConfig = () => {
    const [[, distribution]] = resources(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig as {
      DefaultCacheBehavior: Behavior;
      CacheBehaviors: Behavior[];
    };
    return { defaults: config.DefaultCacheBehavior, behaviors: config.CacheBehaviors };
  };

  it('uploads the hashed assets immutable, and never prunes them (older pages still find their chunks)', () => {
    const assets = deployments().filter(([, r]) => r.Properties.DestinationBucketKeyPrefix === 'assets/');
    expect(assets).toHaveLength(1);
    const [, deployment] = assets[0]!;
    expect(deployment.Properties.Prune).toBe(false);
    expect(deployment.Properties.SystemMetadata).toEqual({ 'cache-control': immutableCacheControl });
    expect(immutableCacheControl).toBe('public, max-age=31536000, immutable');
    // CloudFront compresses: the build's .br/.gz copies stay home.
    expect(uploaded(deployment)).toEqual(['index-abc123.js', 'index-def456.css']);
  });

  it('uploads index.html no-cache after the assets, prunes only outside assets/, and invalidates the pages', () => {
    const [assetsId] = deployments().find(([, r]) => r.Properties.DestinationBucketKeyPrefix === 'assets/')!;
    const pages = deployments().filter(([, r]) => r.Properties.DestinationBucketKeyPrefix === undefined);
    expect(pages).toHaveLength(1);
    const [, deployment] = pages[0]!;
    expect(deployment.Properties.SystemMetadata).toEqual({ 'cache-control': revalidateCacheControl });
    expect(revalidateCacheControl).toBe('no-cache');
    expect(deployment.Properties.Exclude).toEqual(['assets/*']);
    expect(deployment.DependsOn).toContain(assetsId);
    expect(deployment.Properties.DistributionPaths).toContain('/index.html');
    expect(uploaded(deployment)).toEqual(['index.html']);
  });

  it('compresses at the edge (brotli and gzip in the cache key) and honours the objects’ Cache-Control', () => {
    const { defaults, behaviors } = distributionConfig();
    const embed = behaviors.find((b) => b.PathPattern === '/embed/*')!;
    for (const behavior of [defaults, embed]) {
      expect(behavior.Compress).toBe(true);
      // Managed-CachingOptimized: TTLs from the origin's Cache-Control (1 s to 1 year), Accept-Encoding gzip and br.
      expect(behavior.CachePolicyId).toBe(managedCachingOptimized);
    }
  });

  it('lets any site frame /embed/*, while every other page keeps X-Frame-Options: SAMEORIGIN', () => {
    const { defaults, behaviors } = distributionConfig();
    expect(defaults.ResponseHeadersPolicyId).toBe(managedSecurityHeaders);

    const embed = behaviors.find((b) => b.PathPattern === '/embed/*');
    expect(embed).toBeDefined();
    // Same bucket, same SPA rewrite to index.html, same viewer protocol as the default behavior.
    expect(embed!.TargetOriginId).toBe(defaults.TargetOriginId);
    expect(embed!.FunctionAssociations).toEqual(defaults.FunctionAssociations);
    expect(embed!.ViewerProtocolPolicy).toBe(defaults.ViewerProtocolPolicy);

    const policyId = (embed!.ResponseHeadersPolicyId as { Ref: string }).Ref;
    const policy = template.toJSON().Resources[policyId] as Resource;
    expect(policy.Type).toBe('AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, unknown>;
      CustomHeadersConfig?: { Items: { Header: string }[] };
    };
    expect(config.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: 'frame-ancestors *',
      Override: true,
    });
    expect(config.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    expect(config.CustomHeadersConfig?.Items.map((item) => item.Header.toLowerCase()) ?? []).not.toContain(
      'x-frame-options',
    );
    // The rest of the managed security headers stay.
    expect(config.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000 },
      XSSProtection: { Protection: true, ModeBlock: true },
    });

    // Only /embed/* uses it: the API and endpoint behaviors are left as they were.
    const others = behaviors.filter((b) => b.PathPattern !== '/embed/*');
    expect(others.map((b) => b.PathPattern)).toEqual(['/api/*', '/x/*', '/x']);
    expect(
      others.every(
        (b) => JSON.stringify(b.ResponseHeadersPolicyId ?? null) !== JSON.stringify(embed!.ResponseHeadersPolicyId),
      ),
    ).toBe(true);
  });

  it('sends /embed/{id} to index.html through the SPA rewrite', () => {
    const fn = resources(template, 'AWS::CloudFront::Function')
      .map(([, f]) => f.Properties.FunctionCode as string)
      .find((code) => code.includes('index.html'))!;
    const handler = new Function(`${fn}; return handler;`)() as (event: unknown) => { uri: string };
    expect(handler({ request: { uri: '/embed/AbC123' } }).uri).toBe('/index.html');
  });

  it('deploys only a placeholder page, no-cache, when the web app was not built', () => {
    const missing = synth(join(dir, 'no-such-dist'), join(dir, 'cdk.out.placeholder'));
    const placeholder = resources(missing, 'Custom::CDKBucketDeployment');
    expect(placeholder).toHaveLength(1);
    expect(placeholder[0]![1].Properties.SystemMetadata).toEqual({ 'cache-control': revalidateCacheControl });
  }, 120_000);
});
