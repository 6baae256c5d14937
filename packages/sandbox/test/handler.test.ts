// Handler runs (`RunRequest.request`): the acorn answers an HTTP request with its default export, in real isolates
// in real worker processes, and in the in-process runner (Lambda). Hostile handlers must not make the host read a
// wrong status or body: a returned Response is read from its private state, never through its getters.
import { randomBytes } from 'node:crypto';
import type { RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessRunner, createSandbox, type RunHandlerRequest, type Sandbox } from '../src/index.ts';
import { type RunOptions, runner } from './helpers.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);

beforeAll(async () => {
  sandbox = createSandbox({ workers: 2 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

const get = (url = 'https://api.example/x/abc/items?page=2'): RunHandlerRequest => ({
  method: 'GET',
  url,
  headers: [['Accept', 'application/json']],
});

async function handle(code: string, request: RunHandlerRequest = get(), options: RunOptions = {}): Promise<RunResult> {
  return run(code, { owner: 'handler', request, limits: { timeoutMs: 2000 }, ...options });
}

const body = (r: RunResult) => Buffer.from(r.response?.bodyBase64 ?? '', 'base64');
const text = (r: RunResult) => body(r).toString('utf8');

describe('the two export forms', () => {
  it('a default function is called with the Request', async () => {
    const r = await handle("export default (request) => new Response('hello ' + request.method)");
    expect(r.status).toBe('ok');
    expect(r.response).toEqual({
      status: 200,
      headers: [['content-type', 'text/plain;charset=UTF-8']],
      bodyBase64: Buffer.from('hello GET').toString('base64'),
      bodyBytes: 9,
    });
    expect(r.value).toBeUndefined();
    expect(r.preview).toBe('Response 200 (9 bytes)');
  });

  it('an object’s fetch method is called on the object (Cloudflare style)', async () => {
    const r = await handle(
      "export default {\n  greeting: 'hi',\n  async fetch(request) {\n    return new Response(this.greeting + ' ' + new URL(request.url).pathname);\n  },\n};",
    );
    expect(text(r)).toBe('hi /x/abc/items');
  });

  it('`export { handler as default }` and TypeScript work too', async () => {
    const r = await run(
      'const handler = async (request: Request): Promise<Response> => Response.json({ ok: true });\nexport { handler as default };',
      { owner: 'handler', language: 'typescript', request: get() },
    );
    expect(r.status).toBe('ok');
    expect(JSON.parse(text(r))).toEqual({ ok: true });
    expect(r.response?.headers).toEqual([['content-type', 'application/json']]);
  });

  it('without a default export the run is an error that says so', async () => {
    for (const code of [
      'export const handler = () => 1;',
      '1 + 2',
      'export default 42;',
      'export default { fetch: 1 };',
    ]) {
      const r = await handle(code);
      expect(r.status, code).toBe('error');
      expect(r.error?.name).toBe('TypeError');
      expect(r.error?.message).toMatch(/export default.*function.*fetch/);
      expect(r.response).toBeUndefined();
    }
  });
});

describe('the Request the acorn sees', () => {
  it('has the method, absolute URL, headers and body of the plan, and no `input`', async () => {
    const request: RunHandlerRequest = {
      method: 'post',
      url: 'https://API.example:443/x/abc/p%20q?b=2&a=1#frag',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Many', 'a'],
        ['x-many', 'b'],
        ['Bad Name', 'dropped'],
      ],
      bodyBase64: Buffer.from(JSON.stringify({ n: 'é' })).toString('base64'),
    };
    const r = await handle(
      `export default async (request) => ({
        method: request.method, url: request.url, headers: [...request.headers], json: await request.json(),
        used: request.bodyUsed, input: typeof input, isRequest: request instanceof Request,
        search: new URL(request.url).searchParams.get('a'),
      })`,
      request,
      { input: { ignored: true } },
    );
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(JSON.parse(text(r))).toEqual({
      method: 'POST',
      url: 'https://api.example/x/abc/p%20q?b=2&a=1#frag',
      headers: [
        ['content-type', 'application/json'],
        ['x-many', 'a, b'],
      ],
      json: { n: 'é' },
      used: true,
      input: 'undefined',
      isRequest: true,
      search: '1',
    });
  });

  it('carries binary bodies byte for byte, both ways', async () => {
    const bytes = randomBytes(4096);
    const r = await handle(
      "export default async (request) => new Response(await request.arrayBuffer(), { headers: { 'content-type': 'application/octet-stream' } })",
      { method: 'PUT', url: 'https://h/x/a', headers: [], bodyBase64: bytes.toString('base64') },
    );
    expect(r.response?.bodyBytes).toBe(4096);
    expect(body(r).equals(bytes)).toBe(true);
    expect(r.response?.headers).toEqual([['content-type', 'application/octet-stream']]);
  });

  it('has no body for GET, whatever the plan says', async () => {
    const r = await handle('export default async (request) => [await request.text(), request.bodyUsed]', {
      ...get(),
      bodyBase64: Buffer.from('x').toString('base64'),
    });
    expect(JSON.parse(text(r))).toEqual(['', false]);
  });

  it('refuses a URL that is not absolute http(s), before running anything', async () => {
    const r = await handle('export default () => 1', { ...get(), url: '/relative' });
    expect(r.status).toBe('error');
    expect(r.error?.message).toMatch(/absolute/);
  });
});

describe('what the handler returns', () => {
  it('a Response: its status, headers in order (Set-Cookie kept apart) and bytes', async () => {
    const r = await handle(`export default () => {
      const headers = new Headers({ 'X-B': '1', 'Content-Type': 'text/html' });
      headers.append('Set-Cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      headers.append('x-b', '2');
      return new Response('<h1>made</h1>', { status: 201, statusText: 'Made', headers });
    }`);
    expect(r.response).toMatchObject({
      status: 201,
      headers: [
        ['content-type', 'text/html'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['x-b', '1, 2'],
      ],
      bodyBytes: 13,
    });
    expect(text(r)).toBe('<h1>made</h1>');
  });

  it('any other value is JSON with 200; undefined is 204', async () => {
    const json = await handle('export default () => ({ list: [1, 2], text: "é" })');
    expect(json.response).toMatchObject({
      status: 200,
      headers: [['content-type', 'application/json; charset=utf-8']],
    });
    expect(JSON.parse(text(json))).toEqual({ list: [1, 2], text: 'é' });
    expect(json.response?.bodyBytes).toBe(Buffer.byteLength('{"list":[1,2],"text":"é"}'));

    const string = await handle('export default () => "plain"');
    expect(text(string)).toBe('"plain"');

    const none = await handle('export default async () => { await null; }');
    expect(none.response).toEqual({ status: 204, headers: [], bodyBase64: '', bodyBytes: 0 });
    expect(none.preview).toBe('Response 204 (0 bytes)');
  });

  it('Response.json, Response.redirect, and a 204 Response', async () => {
    const json = await handle("export default () => Response.json({ a: 1 }, { status: 418, headers: { 'x': 'y' } })");
    expect(json.response).toMatchObject({
      status: 418,
      headers: [
        ['content-type', 'application/json'],
        ['x', 'y'],
      ],
    });
    const redirect = await handle("export default () => Response.redirect('https://elsewhere.example/a b', 307)");
    expect(redirect.response).toMatchObject({
      status: 307,
      headers: [['location', 'https://elsewhere.example/a%20b']],
      bodyBytes: 0,
    });
    const empty = await handle('export default () => new Response(null, { status: 204 })');
    expect(empty.response).toMatchObject({ status: 204, bodyBytes: 0 });
  });

  it('a value JSON cannot hold is an error', async () => {
    for (const value of ['10n', '() => 1', 'Symbol()', '(() => { const o = {}; o.o = o; return o; })()']) {
      const r = await handle(`export default () => ${value}`);
      expect(r.status, value).toBe('error');
      expect(r.error?.name).toBe('TypeError');
      expect(r.error?.message).toMatch(/cannot be sent as JSON/);
    }
  });

  it('Response.error() and a Response whose body was read are errors', async () => {
    const error = await handle('export default () => Response.error()');
    expect(error).toMatchObject({ status: 'error', error: { name: 'TypeError' } });
    const read = await handle("export default async () => { const r = new Response('x'); await r.text(); return r; }");
    expect(read).toMatchObject({
      status: 'error',
      error: { name: 'TypeError', message: expect.stringMatching(/already read/) },
    });
  });

  it('a body over maxResponseBytes (1 MiB) is a RangeError naming both sizes', async () => {
    const fits = await handle("export default () => new Response('x'.repeat(1048576))");
    expect(fits.response?.bodyBytes).toBe(1048576);
    const over = await handle('export default () => new Response(new Uint8Array(1048577))');
    expect(over.status).toBe('error');
    expect(over.error).toMatchObject({
      name: 'RangeError',
      message: expect.stringMatching(/1048577 bytes.*1048576-byte limit/),
    });
    const json = await handle("export default () => ({ s: 'x'.repeat(1048576) })");
    expect(json.status).toBe('error');
    expect(json.error?.name).toBe('RangeError');
  });

  it('a smaller maxResponseBytes is honoured', async () => {
    const small = createSandbox({ workers: 1, maxResponseBytes: 10 });
    try {
      const r = await small.run({
        owner: 'o',
        language: 'javascript',
        code: "export default () => new Response('01234567890')",
        request: get(),
      });
      expect('status' in r && r.error?.message).toMatch(/11 bytes, over the 10-byte limit/);
    } finally {
      await small.close();
    }
  });
});

describe('an ordinary run underneath', () => {
  it('a thrown error is an error with the acorn’s line and column', async () => {
    const r = await handle("export default (request) => {\n  const x = 1;\n  throw new RangeError('no ' + x);\n};");
    expect(r).toMatchObject({ status: 'error', error: { name: 'RangeError', message: 'no 1', line: 3, column: 9 } });
    const construction = await handle("export default () => new Response('x', { status: 99 });");
    expect(construction).toMatchObject({ status: 'error', error: { name: 'RangeError', line: 1, column: 22 } });
  });

  it('an infinite loop is a timeout, a memory bomb is memory', async () => {
    const loop = await handle('export default () => { for (;;) {} }', get(), { limits: { timeoutMs: 300 } });
    expect(loop.status).toBe('timeout');
    const bomb = await handle('export default () => { const a = []; for (;;) a.push({ n: Math.random() }); }', get(), {
      limits: { timeoutMs: 5000, memoryMb: 32 },
    });
    expect(bomb.status).toBe('memory');
  });

  it('logs, timers and awaits work as in any run', async () => {
    const r = await handle(`export default async (request) => {
      console.log('got', request.method);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return new Response('late');
    }`);
    expect(r.logs.map((l) => l.message)).toEqual(['got GET']);
    expect(text(r)).toBe('late');
    expect(r.wallMs).toBeGreaterThanOrEqual(20);
  });

  it('works in the in-process runner (Lambda)', async () => {
    const lambda = createInProcessRunner();
    try {
      const r = await lambda.run({
        owner: 'o',
        language: 'javascript',
        code: 'export default { fetch: async (request) => Response.json({ body: await request.text() }, { status: 202 }) }',
        request: { method: 'POST', url: 'https://h/', headers: [], bodyBase64: Buffer.from('ping').toString('base64') },
      });
      expect(r.status).toBe('ok');
      expect(r.response?.status).toBe(202);
      expect(JSON.parse(Buffer.from(r.response?.bodyBase64 ?? '', 'base64').toString())).toEqual({ body: 'ping' });
    } finally {
      lambda.close();
    }
  });

  it('a run without `request` is unchanged: the default export gets the input', async () => {
    const r = await run('export default (input) => input.n * 2', { owner: 'handler', input: { n: 21 } });
    expect(r).toMatchObject({ status: 'ok', value: 42 });
    expect(r.response).toBeUndefined();
  });
});

describe('hostile handlers', () => {
  const respond = "return new Response('real body', { status: 201, headers: { 'x-real': '1' } });";
  const expectReal = (r: RunResult) => {
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(r.response).toMatchObject({
      status: 201,
      headers: [
        ['content-type', 'text/plain;charset=UTF-8'],
        ['x-real', '1'],
      ],
    });
    expect(text(r)).toBe('real body');
  };

  it('replaced Response and Headers prototypes do not change what the host reads', async () => {
    const r = await handle(`export default () => {
      for (const name of ['status', 'headers', 'ok', 'statusText', 'bodyUsed', 'type']) {
        Object.defineProperty(Response.prototype, name, { get() { throw new Error('getter ' + name); } });
      }
      Response.prototype.text = Response.prototype.arrayBuffer = Response.prototype.clone = () => { throw new Error('method'); };
      Headers.prototype.get = Headers.prototype.entries = Headers.prototype.forEach = () => { throw new Error('headers'); };
      Headers.prototype[Symbol.iterator] = function* () { yield ['x-fake', 'fake']; };
      ${respond}
    }`);
    expectReal(r);
  });

  it('getters on Object.prototype, a broken Array iterator and index setters do not either', async () => {
    const r = await handle(`export default () => {
      const response = new Response('real body', { status: 201, headers: { 'x-real': '1' } });
      for (const name of ['status', 'headers', 'body', 'bytes', 'name', 'value', 'length', 'response', 'error', 'imitation', 'get', 'set']) {
        Object.defineProperty(Object.prototype, name, { __proto__: null, get() { throw new Error('proto ' + name); }, configurable: true });
      }
      Array.prototype[Symbol.iterator] = function* () { yield 'fake'; };
      Object.defineProperty(Array.prototype, '0', { __proto__: null, set() { throw new Error('index'); }, get() { return 'fake'; } });
      String.prototype.charCodeAt = () => 0;
      String.fromCharCode = () => 'A';
      JSON.stringify = () => '"fake"';
      Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'length', { __proto__: null, get() { return 1; } });
      return response;
    }`);
    expectReal(r);
  });

  it('a large body is read right, whatever an acorn put on Array.prototype', async () => {
    const bytes = randomBytes(200_000);
    const r = await handle(
      `export default async (request) => {
        const body = await request.arrayBuffer();
        for (const index of ['0', '1', '2', '3', '100', '4095', '8191', '8192']) {
          Object.defineProperty(Array.prototype, index, { __proto__: null, get() { return 65; }, set() {}, configurable: true });
        }
        return new Response(body);
      }`,
      { method: 'POST', url: 'https://h/', headers: [], bodyBase64: bytes.toString('base64') },
    );
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    expect(r.response?.bodyBytes).toBe(200_000);
    expect(body(r).equals(bytes)).toBe(true);
  });

  it('a subclass of Response is read from its state, whatever it overrides', async () => {
    const r = await handle(`class Liar extends Response {
      get status() { return 500; }
      get headers() { return new Headers({ 'x-fake': '1' }); }
      text() { return Promise.resolve('fake'); }
    }
    export default () => new Liar('real body', { status: 201, headers: { 'x-real': '1' } });`);
    expectReal(r);
  });

  it('a Proxy of a Response, or an object made from its prototype, is refused', async () => {
    for (const make of [
      "new Proxy(new Response('x', { status: 201 }), {})",
      'Object.create(Response.prototype)',
      "new Proxy(new Response('x'), { getPrototypeOf() { throw new Error('trap'); } })",
    ]) {
      const r = await handle(`export default () => ${make}`);
      expect(r.status, make).toBe('error');
      expect(r.response).toBeUndefined();
    }
  });

  it('a Response class the acorn put in place of the real one is only an object', async () => {
    const r = await handle(`globalThis.Response = class { constructor() { this.status = 500; } };
    export default () => new Response('x');`);
    expect(r.response).toMatchObject({ status: 200 });
    expect(JSON.parse(text(r))).toEqual({ status: 500 });
  });

  it('a Response made before the acorn broke everything is still read correctly', async () => {
    const r = await handle(`const kept = new Response('real body', { status: 201, headers: { 'x-real': '1' } });
    export default () => {
      Object.setPrototypeOf(kept, null);
      Reflect.ownKeys(globalThis).forEach((k) => { try { delete globalThis[k]; } catch {} });
      return kept;
    };`);
    expectReal(r);
  });

  it('leaves the sandbox healthy for the next run of another owner', async () => {
    const probe = await run("export default () => new Response('fine')", { owner: 'neighbour', request: get() });
    expect(text(probe)).toBe('fine');
  });
});
