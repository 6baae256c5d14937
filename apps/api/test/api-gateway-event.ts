/** API Gateway HTTP API (payload format 2.0) events and Lambda contexts, shaped as AWS sends them. */
import { randomUUID } from 'node:crypto';

export interface HttpRequest {
  /** The route key the request matched, e.g. `GET /api/acorns/{id}`. */
  routeKey: string;
  /** The path sent, e.g. `/api/acorns/abc`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON, with its content type. */
  body?: unknown;
  /** Sent as it is (for malformed bodies and other content types); wins over `body`. */
  rawBody?: string;
  sourceIp?: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

export function httpApiEvent(request: HttpRequest) {
  const [method] = request.routeKey.split(' ');
  const templatePath = request.routeKey.slice(method!.length + 1);
  const rawQueryString = new URLSearchParams(request.query ?? {}).toString();
  const sourceIp = request.sourceIp ?? '203.0.113.7';
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'bundle-test',
    'x-forwarded-for': sourceIp,
    'x-forwarded-proto': 'https',
    ...(request.body !== undefined && request.rawBody === undefined ? { 'content-type': 'application/json' } : {}),
    ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const pathParameters = pathParametersOf(templatePath, request.path);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString,
    headers,
    ...(request.query ? { queryStringParameters: request.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: request.path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'bundle-test' },
      requestId: randomUUID(),
      routeKey: request.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

export function lambdaContext(functionName: string) {
  const deadline = Date.now() + 15_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bundle-test',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done() {},
    fail() {},
    succeed() {},
  };
}

function pathParametersOf(template: string, path: string): Record<string, string> {
  const names = template.split('/');
  const values = path.split('/');
  const parameters: Record<string, string> = {};
  names.forEach((name, i) => {
    const match = /^\{(\w+)\}$/.exec(name);
    if (match) parameters[match[1]!] = decodeURIComponent(values[i]!);
  });
  return parameters;
}
