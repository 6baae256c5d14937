import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketBounds } from './histogram.ts';
import { metricsMiddleware } from './middleware.ts';
import { createRecorder, type RunOutcome, runOutcomes } from './recorder.ts';

interface Env {
  Variables: { endpoint: string | undefined; runOutcome: RunOutcome | undefined };
}

const recorder = createRecorder();
const app = new Hono<Env>();
app.use(
  metricsMiddleware(recorder, {
    endpointOf: (c) => c.get('endpoint'),
    outcomeOf: (c) => c.get('runOutcome'),
  }),
);
app.onError((error, c) => c.json({ error: error.message }, error instanceof HTTPException ? error.status : 500));
app.get('/api/acorns/:id', async (c) => {
  c.set('endpoint', 'acorns.get');
  await new Promise((resolve) => setTimeout(resolve, 20));
  return c.req.param('id') === 'missing' ? c.json({}, 404) : c.json({ id: c.req.param('id') });
});
app.post('/api/run', (c) => {
  c.set('endpoint', 'run.post');
  c.set('runOutcome', 'timeout');
  return c.json({ status: 'timeout' });
});
app.get('/api/boom', (c) => {
  c.set('endpoint', 'boom.get');
  throw new Error('boom');
});

let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('metricsMiddleware over HTTP', () => {
  it('records endpoint, final status, latency and run outcome', async () => {
    recorder.take();
    expect((await fetch(`${base}/api/acorns/a1`)).status).toBe(200);
    expect((await fetch(`${base}/api/acorns/missing`)).status).toBe(404);
    expect((await fetch(`${base}/api/run`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${base}/api/boom`)).status).toBe(500);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);

    const byEndpoint = Object.fromEntries(recorder.take().map((b) => [b.endpoint, b.figures]));
    expect(Object.keys(byEndpoint).sort()).toEqual(['acorns.get', 'boom.get', 'run.post', 'unmatched']);
    const get = byEndpoint['acorns.get']!;
    expect([get.requests, get.status2xx, get.status4xx]).toEqual([2, 1, 1]);
    // Both requests slept 20 ms: no sample may sit in a bucket that ends below that.
    const fastest = get.histogram.findIndex((count) => count > 0);
    expect(bucketBounds(fastest)[1]).toBeGreaterThan(19);
    expect([...byEndpoint['run.post']!.outcomes]).toEqual(runOutcomes.map((o) => (o === 'timeout' ? 1 : 0)));
    expect(byEndpoint['boom.get']!.status5xx).toBe(1);
    expect(byEndpoint.unmatched!.status4xx).toBe(1);
  });

  it('records a 500 when an error escapes the chain, and rethrows it', async () => {
    const bare = createRecorder();
    const middleware = metricsMiddleware(bare, { endpointOf: () => 'x.get' });
    const c = { res: new Response(null, { status: 200 }) } as never;
    await expect(middleware(c, () => Promise.reject(new Error('escaped')))).rejects.toThrow('escaped');
    const [bucket] = bare.take();
    expect(bucket).toMatchObject({ endpoint: 'x.get', figures: { requests: 1, status5xx: 1 } });
  });

  it('records a streamed answer when it settles, with the outcome set by then', async () => {
    const streamed = createRecorder();
    let outcome: RunOutcome | undefined;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const middleware = metricsMiddleware(streamed, {
      endpointOf: () => 'run.post',
      outcomeOf: () => outcome,
      settledOf: () => settled,
    });
    const c = { res: new Response(null, { status: 200 }) } as never;
    await middleware(c, async () => {});
    // The handler has returned its stream; the run goes on, so nothing is recorded yet.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(streamed.take()).toEqual([]);

    outcome = 'cancelled';
    settle();
    await settled;
    await new Promise((resolve) => setImmediate(resolve));
    const [bucket, ...rest] = streamed.take();
    expect(rest).toEqual([]);
    expect(bucket).toMatchObject({ endpoint: 'run.post', figures: { requests: 1, status2xx: 1 } });
    expect([...bucket!.figures.outcomes]).toEqual(runOutcomes.map((o) => (o === 'cancelled' ? 1 : 0)));
    // The latency is the whole stream's, not the handler's.
    const slowest = bucket!.figures.histogram.findIndex((count) => count > 0);
    expect(bucketBounds(slowest)[1]).toBeGreaterThan(29);
  });

  it('records a stream that fails when it settles, and records a request without a stream at once', async () => {
    const streamed = createRecorder();
    let fail!: (error: Error) => void;
    const settled = new Promise<void>((_, reject) => {
      fail = reject;
    });
    const middleware = metricsMiddleware(streamed, {
      endpointOf: () => 'run.post',
      outcomeOf: () => 'error',
      settledOf: (c) => (c.req.path === '/stream' ? settled : undefined),
    });
    const at = (path: string) => ({ req: { path }, res: new Response(null, { status: 200 }) }) as never;
    await middleware(at('/plain'), async () => {});
    expect(streamed.take()).toMatchObject([{ endpoint: 'run.post', figures: { requests: 1 } }]);

    await middleware(at('/stream'), async () => {});
    await new Promise((resolve) => setImmediate(resolve));
    expect(streamed.take()).toEqual([]);
    fail(new Error('stream broke'));
    await settled.catch(() => {});
    await new Promise((resolve) => setImmediate(resolve));
    const [bucket] = streamed.take();
    expect(bucket).toMatchObject({ endpoint: 'run.post', figures: { requests: 1 } });
    expect(bucket!.figures.outcomes[runOutcomes.indexOf('error')]).toBe(1);
  });
});
