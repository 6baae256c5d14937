/** The SPA: a private bucket behind CloudFront, with `/api/*` sent to the HTTP API on the same domain. */
import { existsSync } from 'node:fs';
import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface WebProps {
  /** Domain of the HTTP API (`<id>.execute-api.<region>.amazonaws.com`). */
  apiDomainName: string;
  /** Absolute path of the built SPA; a placeholder page is deployed when it does not exist. */
  webDist: string;
}

/** Paths without a file extension are SPA routes: serve the app shell. Runs at the edge on every viewer request. */
const spaRewrite = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** The header CloudFront sets to the viewer's address on API requests; the functions read it (CLIENT_IP_HEADER). */
export const clientIpHeader = 'x-squirrelbin-client-ip';

// Overwrites whatever the viewer sent under that name: behind CloudFront, API Gateway's sourceIp is an edge address.
const clientAddress = `function handler(event) {
  event.request.headers['${clientIpHeader}'] = { value: event.viewer.ip };
  return event.request;
}`;

const placeholderPage =
  '<!doctype html><meta charset="utf-8"><title>SquirrelBin</title>' +
  '<p>SquirrelBin: the web app was not built when this was deployed. Run <code>npm run build</code>, then deploy again.</p>';

export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

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

    const apiClientAddress = new cloudfront.Function(this, 'ApiClientAddress', {
      comment: 'SquirrelBin API requests carry the viewer address',
      code: cloudfront.FunctionCode.fromInline(clientAddress),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'SquirrelBin',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          functionAssociations: [
            { function: apiClientAddress, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
    });

    const built = existsSync(props.webDist);
    if (!built) {
      Annotations.of(this).addWarningV2(
        'squirrelbin:webNotBuilt',
        `${props.webDist} does not exist: deploying a placeholder page. Build the web app first.`,
      );
    }
    new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [built ? s3deploy.Source.asset(props.webDist) : s3deploy.Source.data('index.html', placeholderPage)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
