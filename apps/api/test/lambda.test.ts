import { rm } from 'node:fs/promises';
import { CloudWatchClient, GetMetricDataCommand, type ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fakeCloudWatch } from '@squirrelbin/metrics/testing/fake-cloudwatch';
import { MetricsResponse } from '@squirrelbin/schemas';
import { type EmbeddedStore, openStore, startEmbeddedStore } from '@squirrelbin/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { routes } from '../src/routes/index.ts';
import { httpApiEvent, lambdaContext } from './api-gateway-event.ts';
import { call, startTestServer, type TestServer, tempDir } from './harness.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

let dataDir: string;
let embedded: EmbeddedStore;
let server: TestServer;
const lambdaTables = {
  acorns: 'lambda-acorns',
  identities: 'lambda-identities',
  metrics: 'lambda-metrics',
  limits: 'lambda-limits',
  invocations: 'lambda-invocations',
  jobs: 'lambda-jobs',
  jobResults: 'lambda-job-results',
};
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  dataDir = await tempDir();
  embedded = await startEmbeddedStore(dataDir);
  const env = {
    DYNAMODB_ENDPOINT: embedded.endpoint,
    ACORNS_TABLE: lambdaTables.acorns,
    IDENTITIES_TABLE: lambdaTables.identities,
    METRICS_TABLE: lambdaTables.metrics,
    LIMITS_TABLE: lambdaTables.limits,
    INVOCATIONS_TABLE: lambdaTables.invocations,
    JOBS_TABLE: lambdaTables.jobs,
    JOB_RESULTS_TABLE: lambdaTables.jobResults,
  };
  // The tables belong to the stack on AWS; here they are made up front, as CDK would.
  await (await openStore({ endpoint: embedded.endpoint, dataDir, tables: lambdaTables, createTables: true })).close();
  Object.assign(process.env, env, {
    AWS_LAMBDA_FUNCTION_NAME: 'squirrelbin-test',
    AWS_REGION: 'eu-west-1',
    RUN_RATE_LIMIT: '0',
  });
  for (const route of routes) {
    const module = (await import(`../src/lambda/${route.spec.name.replaceAll('.', '-')}.ts`)) as { handler: Handler };
    handlers.set(route.spec.name, module.handler);
  }
  // The local server on the same store, to compare answers.
  server = await startTestServer({ ...env, AWS_LAMBDA_FUNCTION_NAME: '' });
});

afterAll(async () => {
  await server?.close();
  await embedded?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Invokes the Lambda of the route whose key matches, as API Gateway would. */
async function invoke(
  routeKey: string,
  path: string,
  options: { query?: Record<string, string>; headers?: Record<string, string>; body?: string; key?: string } = {},
) {
  const route = routes.find((r) => `${r.spec.method.toUpperCase()} ${r.spec.path}` === routeKey);
  if (!route) throw new Error(`no route ${routeKey}`);
  const headers = { ...options.headers, ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) };
  const event = httpApiEvent({
    routeKey,
    path,
    ...(options.query ? { query: options.query } : {}),
    headers,
    ...(options.body !== undefined ? { rawBody: options.body } : {}),
  }) as unknown as APIGatewayProxyEventV2;
  const result = await handlers.get(route.spec.name)!(event, lambdaContext(route.spec.name));
  const lowerHeaders = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return {
    status: result.statusCode ?? 0,
    headers: lowerHeaders,
    text: result.body ?? '',
    base64: result.isBase64Encoded === true,
    body:
      result.body && !lowerHeaders['content-type']?.startsWith('text/event-stream')
        ? (JSON.parse(result.body) as Record<string, unknown>)
        : undefined,
  };
}

describe('every route verb has a Lambda entry', () => {
  it('exports a handler per route', () => {
    expect([...handlers.keys()].sort()).toEqual(routes.map((r) => r.spec.name).sort());
    for (const handler of handlers.values()) expect(typeof handler).toBe('function');
  });
});

describe('Lambda entries answer like the local server', () => {
  it('walks the acorn lifecycle through the Lambdas', async () => {
    expect(await invoke('GET /api/health', '/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const openapi = await invoke('GET /api/openapi.json', '/api/openapi.json');
    expect(openapi.body).toMatchObject({ openapi: '3.1.0' });

    const identity = await invoke('POST /api/identities', '/api/identities');
    expect(identity.status).toBe(201);
    const key = String(identity.body!.key);
    const other = String((await invoke('POST /api/identities', '/api/identities')).body!.key);

    const json = { 'content-type': 'application/json' };
    const created = await invoke('POST /api/acorns', '/api/acorns', {
      key,
      headers: json,
      body: JSON.stringify({ title: 'From Lambda', language: 'javascript', code: '40 + 2', visibility: 'public' }),
    });
    expect(created.status).toBe(201);
    const id = String(created.body!.id);
    expect(created.headers.location).toBe(`/api/acorns/${id}`);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers['x-request-id']).toBeTruthy();

    const read = await invoke('GET /api/acorns/{id}', `/api/acorns/${id}`);
    expect(read).toMatchObject({ status: 200, body: { id, code: '40 + 2' } });
    expect(read.headers.etag).toBe('"1"');
    expect(
      (await invoke('GET /api/acorns/{id}', `/api/acorns/${id}`, { headers: { 'if-none-match': '"1"' } })).status,
    ).toBe(304);

    const list = await invoke('GET /api/acorns', '/api/acorns', { query: { limit: '5' } });
    expect(list.status).toBe(200);
    expect((list.body!.items as { id: string }[]).map((i) => i.id)).toContain(id);

    const noIfMatch = await invoke('PATCH /api/acorns/{id}', `/api/acorns/${id}`, {
      key,
      headers: json,
      body: '{"title":"x"}',
    });
    expect(noIfMatch.status).toBe(428);
    expect(noIfMatch.headers['content-type']).toContain('application/problem+json');
    const patched = await invoke('PATCH /api/acorns/{id}', `/api/acorns/${id}`, {
      key,
      headers: { ...json, 'if-match': '"1"' },
      body: '{"code":"41 + 1"}',
    });
    expect(patched).toMatchObject({ status: 200, body: { version: 2 } });
    const stale = await invoke('PATCH /api/acorns/{id}', `/api/acorns/${id}`, {
      key,
      headers: { ...json, 'if-match': '"1"' },
      body: '{"code":"0"}',
    });
    expect(stale).toMatchObject({ status: 412, body: { currentVersion: 2 } });
    expect(
      (
        await invoke('PATCH /api/acorns/{id}', `/api/acorns/${id}`, {
          key: other,
          headers: { ...json, 'if-match': '"2"' },
          body: '{"code":"0"}',
        })
      ).status,
    ).toBe(403);

    const revisions = await invoke('GET /api/acorns/{id}/revisions', `/api/acorns/${id}/revisions`);
    expect(revisions).toMatchObject({ status: 200, body: { items: [{ version: 1 }], nextCursor: null } });
    expect(await invoke('GET /api/acorns/{id}/revisions/{version}', `/api/acorns/${id}/revisions/1`)).toMatchObject({
      status: 200,
      body: { code: '40 + 2' },
    });

    const fork = await invoke('POST /api/acorns/{id}/fork', `/api/acorns/${id}/fork`, { key: other });
    expect(fork).toMatchObject({ status: 201, body: { forkOf: id } });

    // The local server on the same store sees what the Lambdas wrote, and answers the same.
    const viaServer = await call(server.url, 'GET', `/api/acorns/${id}`);
    expect(viaServer.status).toBe(200);
    expect(viaServer.body).toEqual((await invoke('GET /api/acorns/{id}', `/api/acorns/${id}`)).body);

    expect((await invoke('DELETE /api/acorns/{id}', `/api/acorns/${id}`, { key })).status).toBe(204);
    expect((await invoke('GET /api/acorns/{id}', `/api/acorns/${id}`)).status).toBe(404);
  });

  it('runs acorns in the Lambda process itself', async () => {
    const json = { 'content-type': 'application/json' };
    const ok = await invoke('POST /api/run', '/api/run', {
      headers: json,
      body: JSON.stringify({ language: 'typescript', code: 'const n: number = 6;\nconsole.log("n", n);\nn * 7' }),
    });
    expect(ok).toMatchObject({
      status: 200,
      body: { status: 'ok', value: 42, logs: [{ level: 'log', message: 'n 6' }] },
    });
    const slow = await invoke('POST /api/run', '/api/run', {
      headers: json,
      body: JSON.stringify({ language: 'javascript', code: 'while (true) {}', limits: { timeoutMs: 100 } }),
    });
    expect(slow).toMatchObject({ status: 200, body: { status: 'timeout' } });

    const key = String((await invoke('POST /api/identities', '/api/identities')).body!.key);
    const created = await invoke('POST /api/acorns', '/api/acorns', {
      key,
      headers: json,
      body: JSON.stringify({
        title: 'handler',
        language: 'javascript',
        code: 'export default (i) => i.a + i.b',
        visibility: 'private',
      }),
    });
    const id = String(created.body!.id);
    const saved = await invoke('POST /api/acorns/{id}/run', `/api/acorns/${id}/run`, {
      key,
      headers: json,
      body: JSON.stringify({ input: { a: 1, b: 2 } }),
    });
    expect(saved).toMatchObject({ status: 200, body: { status: 'ok', value: 3 } });
    expect((await invoke('POST /api/acorns/{id}/run', `/api/acorns/${id}/run`)).status).toBe(404);
  });

  it('answers a streaming request with the buffered events: every log, then the result', async () => {
    const streamed = await invoke('POST /api/run', '/api/run', {
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ language: 'javascript', code: 'console.log("one");\nconsole.warn("two");\n3' }),
    });
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.headers['content-type']).toMatch(/^text\/event-stream/);
    // API Gateway gets the events as base64 (Hono's adapter calls the type binary) and hands the client the text.
    const text = streamed.base64 ? Buffer.from(streamed.text, 'base64').toString('utf8') : streamed.text;
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>,
      }));
    expect(
      events.map((e) => e.event),
      text,
    ).toEqual(['log', 'log', 'result']);
    expect(events[0]!.data).toMatchObject({ level: 'log', message: 'one' });
    expect(events[1]!.data).toMatchObject({ level: 'warn', message: 'two' });
    expect(events[2]!.data).toMatchObject({ status: 'ok', value: 3 });
  });

  it('prints every invocation’s metrics as CloudWatch EMF, writes no metrics table, reads them back from CloudWatch', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      for (let i = 0; i < 4; i++) expect((await invoke('GET /api/health', '/api/health')).status).toBe(200);
      expect((await invoke('GET /api/acorns/{id}', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    } finally {
      write.mockRestore();
    }
    const documents = lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as Record<string, unknown> & {
            _aws: {
              Timestamp: number;
              CloudWatchMetrics: {
                Namespace: string;
                Dimensions: string[][];
                Metrics: { Name: string; Unit?: string }[];
              }[];
            };
          },
      );
    expect(documents.length).toBeGreaterThanOrEqual(5);
    for (const document of documents) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive!.Namespace).toBe('SquirrelBin');
      expect(directive!.Dimensions).toEqual([['endpoint']]);
      expect(typeof document._aws.Timestamp).toBe('number');
      for (const metric of directive!.Metrics) expect(document).toHaveProperty(metric.Name);
    }
    const healthRequests = documents
      .filter((d) => d.endpoint === 'health')
      .reduce((sum, d) => sum + Number(d.requests ?? 0), 0);
    expect(healthRequests).toBe(4);
    const notFound = documents.find((d) => d.endpoint === 'acorns.get' && Number(d.status4xx) === 1);
    expect(notFound).toBeDefined();

    // No table write on the request path (decision 006): health is only ever invoked through the Lambdas here.
    const admin = await openStore({ endpoint: embedded.endpoint, dataDir, tables: lambdaTables, createTables: false });
    const { Items = [] } = await admin.connection.doc.send(new ScanCommand({ TableName: lambdaTables.metrics }));
    expect(Items.filter((item) => item.endpoint === 'health')).toEqual([]);
    const { key } = await admin.identities.create({ admin: true });
    await admin.close();

    // The admin Lambda reads CloudWatch. AWS is out of reach, so CloudWatch alone is faked: it answers from the EMF
    // documents above, as CloudWatch Logs would have extracted them.
    const cloudWatch = fakeCloudWatch(documents);
    const send = vi
      .spyOn(CloudWatchClient.prototype, 'send')
      .mockImplementation((async (command: unknown) =>
        command instanceof GetMetricDataCommand
          ? cloudWatch.getMetricData(command.input)
          : cloudWatch.listMetrics((command as ListMetricsCommand).input)) as never);
    try {
      const metrics = await invoke('GET /api/admin/metrics', '/api/admin/metrics', { key });
      expect(metrics.status).toBe(200);
      expect(MetricsResponse.parse(metrics.body)).toEqual(metrics.body);
      const endpoints = metrics.body!.endpoints as MetricsResponse['endpoints'];
      expect(endpoints.map((e) => e.endpoint)).toEqual(['acorns.get', 'health']);
      expect(endpoints[0]!.totals).toMatchObject({ count: 1, status4xx: 1 });
      expect(endpoints[1]!.totals).toMatchObject({ count: 4, status2xx: 4 });
      expect(endpoints[1]!.totals.p50).toBeGreaterThan(0);
      expect(cloudWatch.requests).toHaveLength(1);
      // CloudWatch keeps 1-minute points for 15 days: an older range at 1m is a 400, not an empty chart.
      const old = Date.now() - 20 * 86_400_000;
      const tooOld = await invoke('GET /api/admin/metrics', '/api/admin/metrics', {
        key,
        query: { from: String(old), to: String(old + 3_600_000) },
      });
      expect(tooOld).toMatchObject({ status: 400, body: { type: 'urn:squirrelbin:problem:validation-failed' } });
      expect(cloudWatch.requests).toHaveLength(1);
    } finally {
      send.mockRestore();
    }
  });

  it('gives the same failures as the local server', async () => {
    const cases: [
      string,
      string,
      { query?: Record<string, string>; headers?: Record<string, string>; body?: string },
    ][] = [
      ['POST /api/acorns', '/api/acorns', { headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['GET /api/acorns', '/api/acorns', { query: { limit: '0' } }],
      ['GET /api/acorns', '/api/acorns', { query: { cursor: 'bad' } }],
      ['GET /api/acorns', '/api/acorns', { query: { mine: 'true' } }],
      ['GET /api/acorns/{id}', '/api/acorns/AAAAAAAAAAAAAAAAAAAAAA', {}],
      ['POST /api/identities', '/api/identities', { headers: { 'content-type': 'text/plain' }, body: 'hi' }],
      ['POST /api/identities', '/api/identities', { headers: { 'content-type': 'application/json' }, body: '{' }],
    ];
    for (const [routeKey, path, options] of cases) {
      const lambda = await invoke(routeKey, path, options);
      const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
      const local = await call(server.url, routeKey.split(' ')[0]!, path + query, {
        ...(options.body !== undefined ? { body: options.body } : {}),
        headers: options.headers ?? {},
      });
      expect(lambda.status, routeKey).toBe(local.status);
      expect(lambda.headers['content-type']).toContain('application/problem+json');
      expect(lambda.body!.type).toBe((local.body as { type: string }).type);
    }
  });
});
