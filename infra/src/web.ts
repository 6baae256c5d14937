/**
 * The SPA: a private bucket behind CloudFront, with `/api/*` and the acorn endpoints (`/x/*`) sent to the HTTP API on
 * the same domain.
 *
 * Caching: Vite names every file under `assets/` after its content, so those are uploaded with
 * `public, max-age=31536000, immutable` and never pruned (a page loaded before a deploy still finds the chunks it
 * imports lazily afterwards); index.html and the other top-level files are `no-cache`, so a deploy shows at once.
 * CloudFront compresses (brotli or gzip, by Accept-Encoding) at the edge; the build's own `.br`/`.gz` files, which
 * the local server sends, are not uploaded.
 *
 * Framing: every response carries CloudFront's managed security headers (X-Frame-Options: SAMEORIGIN), except the
 * embed view, `/embed/*`, which any site may put in an <iframe> (`Content-Security-Policy: frame-ancestors *`), and
 * the endpoints, whose answers keep the API's own `Content-Security-Policy: sandbox …` and `nosniff`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface WebProps {
  /** Domain of the HTTP API (`<id>.execute-api.<region>.amazonaws.com`). */
  apiDomainName: string;
  /** Absolute path of the built SPA; a placeholder page is deployed when it does not exist. */
  webDist: string;
}

/**
 * Paths without a file extension are SPA routes: serve the app shell. Runs at the edge on every viewer request. The
 * API's paths (`/api…`, `/x…`) never are, as on the local server, even were a request of theirs to reach the bucket.
 */
const spaRewrite = `function handler(event) {
  var request = event.request;
  if (/^\\/(api|x)(\\/|$)/.test(request.uri)) return request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** The header CloudFront sets to the viewer's address on API requests; the functions read it (CLIENT_IP_HEADER). */
export const clientIpHeader = 'x-squirrelbin-client-ip';

/**
 * The header CloudFront adds to every API request with the origin secret (replacing any a viewer sent); the
 * functions refuse requests without it (ORIGIN_SECRET; the name is the API's `originSecretHeader`).
 */
export const originSecretHeader = 'x-squirrelbin-origin-secret';

// Overwrites whatever the viewer sent under that name: behind CloudFront, API Gateway's sourceIp is an edge address.
const clientAddress = `function handler(event) {
  event.request.headers['${clientIpHeader}'] = { value: event.viewer.ip };
  return event.request;
}`;

/**
 * The acorn endpoints: `/x/{id}` and everything below it (`/x/*`), and `/x` itself (the app's 404, not the SPA).
 * CloudFront path patterns match these exactly (`/x`) or by prefix (`/x/*`).
 */
export const endpointPathPatterns = ['/x/*', '/x'] as const;

/** Whether a route path (`/x/{id}`) is served through the endpoint behaviors rather than `/api/*`. */
export const isEndpointPath = (path: string) => path === '/x' || path.startsWith('/x/');

/**
 * On endpoint requests, the header CloudFront's viewer-request function sets to the Host the viewer asked for (the
 * origin request carries the execute-api host instead), and the one CloudFront sets to the viewer's scheme: the
 * endpoint functions build the URL the acorn sees from them (FORWARDED_HOST_HEADER, FORWARDED_PROTO_HEADER).
 */
export const forwardedHostHeader = 'x-forwarded-host';
export const forwardedProtoHeader = 'cloudfront-forwarded-proto';

// The client address as on /api/*, plus the viewer's Host; both overwrite whatever the viewer sent under those names.
const endpointRequest = `function handler(event) {
  var request = event.request;
  request.headers['${clientIpHeader}'] = { value: event.viewer.ip };
  if (request.headers.host) request.headers['${forwardedHostHeader}'] = { value: request.headers.host.value };
  else delete request.headers['${forwardedHostHeader}'];
  return request;
}`;

/** Cache-Control of the content-hashed files under `assets/`. */
export const immutableCacheControl = 'public, max-age=31536000, immutable';
/** Cache-Control of index.html (and any other file not named after its content). */
export const revalidateCacheControl = 'no-cache';
/** Files of the build not uploaded: the precompressed copies (CloudFront compresses) and Vite's manifest. */
const notUploaded = ['*.br', '*.gz', '.vite', '.vite/*'];

const placeholderPage =
  '<!doctype html><meta charset="utf-8"><title>SquirrelBin</title>' +
  '<p>SquirrelBin: the web app was not built when this was deployed. Run <code>npm run build</code>, then deploy again.</p>';

export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /**
   * Generated by Secrets Manager at the first deploy and stable after it, so it is in no file and no template
   * (the template holds a dynamic reference). CloudFront and the functions' environment read it at deploy.
   */
  readonly originSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    // Only build output lives here, so the bucket goes with the stack.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const spaRouting = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'SquirrelBin SPA routes to /index.html',
      code: cloudfront.FunctionCode.fromInline(spaRewrite),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: 'SquirrelBin: the header value CloudFront sends to the API, which refuses requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const apiClientAddress = new cloudfront.Function(this, 'ApiClientAddress', {
      comment: 'SquirrelBin API requests carry the viewer address',
      code: cloudfront.FunctionCode.fromInline(clientAddress),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const endpointViewerRequest = new cloudfront.Function(this, 'EndpointViewerRequest', {
      comment: 'SquirrelBin /x requests carry the viewer address and the Host the viewer asked for',
      code: cloudfront.FunctionCode.fromInline(endpointRequest),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    // Acorns write the answers under /x: no frame or CSP override (the API's `sandbox` CSP and nosniff stay, and
    // must), only HSTS, imposed (an acorn's own `max-age=0` would turn it off for the SPA's origin), and no
    // Clear-Site-Data (an acorn's would wipe the SPA's stored keys of whoever opens its page).
    const endpointHeaders = new cloudfront.ResponseHeadersPolicy(this, 'EndpointHeaders', {
      comment: 'SquirrelBin /x/*: HSTS; the API sets the sandbox CSP and nosniff; no Clear-Site-Data from acorns',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
      },
      removeHeaders: ['Clear-Site-Data'],
    });

    // The managed SECURITY_HEADERS policy, less X-Frame-Options, plus a CSP that lets any page frame the embed view.
    const embedHeaders = new cloudfront.ResponseHeadersPolicy(this, 'EmbedHeaders', {
      comment: 'SquirrelBin /embed/*: security headers, frameable by any site',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: 'frame-ancestors *', override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: false,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: false },
        xssProtection: { protection: true, modeBlock: true, override: false },
      },
    });

    const site = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const siteBehavior = {
      origin: site,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      // Honours the objects' Cache-Control (immutable assets, no-cache index.html); brotli and gzip in the key.
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
      functionAssociations: [{ function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    } satisfies cloudfront.BehaviorOptions;

    // CloudFront compresses only under a cache policy with Accept-Encoding in the key, which CachingDisabled (TTLs 0)
    // cannot have. This one keeps nothing: every /api answer is `no-store` or `private`.
    const apiPolicy = new cloudfront.CachePolicy(this, 'ApiCompression', {
      comment: 'SquirrelBin /api/*: compressed at the edge, nothing kept (the API answers no-store or private)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    const api = new origins.HttpOrigin(props.apiDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      customHeaders: { [originSecretHeader]: this.originSecretValue },
    });
    // Every method, the whole query, every viewer header but Host (API Gateway routes by it), never cached: each call
    // is a run of the acorn. CloudFront does not compress here (CachingDisabled cannot), so what the acorn sent goes.
    const endpointBehavior = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      compress: false,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: endpointHeaders,
      functionAssociations: [
        { function: endpointViewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      ],
    } satisfies cloudfront.BehaviorOptions;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'SquirrelBin',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: { ...siteBehavior, responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS },
      additionalBehaviors: {
        '/api/*': {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: apiPolicy,
          compress: true,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          functionAssociations: [
            { function: apiClientAddress, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
        ...Object.fromEntries(endpointPathPatterns.map((pattern) => [pattern, endpointBehavior])),
        // The read-only embed view (index.html through the SPA rewrite) is made to sit in other sites' iframes.
        '/embed/*': { ...siteBehavior, responseHeadersPolicy: embedHeaders },
      },
    });

    const built = existsSync(props.webDist);
    if (!built) {
      Annotations.of(this).addWarningV2(
        'squirrelbin:webNotBuilt',
        `${props.webDist} does not exist: deploying a placeholder page. Build the web app first.`,
      );
    }
    // First the hashed assets, added to what is there (never pruned), then the pages that name them.
    const assetsDir = join(props.webDist, 'assets');
    const assets = existsSync(assetsDir)
      ? new s3deploy.BucketDeployment(this, 'Assets', {
          sources: [s3deploy.Source.asset(assetsDir, { exclude: notUploaded })],
          destinationBucket: this.bucket,
          destinationKeyPrefix: 'assets/',
          cacheControl: [s3deploy.CacheControl.fromString(immutableCacheControl)],
          prune: false,
          memoryLimit: 512,
        })
      : undefined;
    const pages = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        built
          ? s3deploy.Source.asset(props.webDist, { exclude: ['assets', 'assets/*', ...notUploaded] })
          : s3deploy.Source.data('index.html', placeholderPage),
      ],
      destinationBucket: this.bucket,
      // Excluded from the sync, so the prune of stale top-level files never touches assets of earlier builds.
      exclude: ['assets/*'],
      cacheControl: [s3deploy.CacheControl.fromString(revalidateCacheControl)],
      distribution: this.distribution,
      // Assets are immutable and never change under a name: only the pages need to leave the edge caches.
      distributionPaths: ['/index.html', '/'],
      memoryLimit: 512,
    });
    if (assets) pages.node.addDependency(assets);
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** The secret as a CloudFormation dynamic reference, resolved only at deploy. */
  get originSecretValue(): string {
    return this.originSecret.secretValue.unsafeUnwrap();
  }
}
