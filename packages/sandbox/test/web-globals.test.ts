// The web platform globals of every run (web.js, and core-js from dist/web-globals.js), in real isolates in real
// worker processes. Where Node 24 implements the same standard, a snippet's expected value is what Node itself gives
// for the same code; elsewhere the spec's answer is written out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineBootstrap } from '../src/bootstrap-source.ts';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { IsolatePool } from '../src/isolate-pool.ts';
import { runner } from './helpers.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);
const roomy = { limits: { timeoutMs: 3000 } };

beforeAll(async () => {
  sandbox = createSandbox({ workers: 1 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

/** Runs `body` (a function body that returns JSON) in the sandbox; returns its value, failing on anything but ok. */
async function inSandbox(body: string, owner = 'web'): Promise<unknown> {
  const r = await run(`await (async () => {\n${body}\n})()`, { owner, ...roomy });
  expect(r.status, JSON.stringify(r.error)).toBe('ok');
  return r.value;
}

/** The same body run by Node, through JSON as the sandbox's value is. */
async function inNode(body: string): Promise<unknown> {
  const value = await new AsyncFunction(body)();
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Snippets whose value must be what Node gives. */
function sameAsNode(cases: Record<string, string>) {
  for (const [name, body] of Object.entries(cases)) {
    it(name, async () => {
      expect(await inSandbox(body)).toEqual(await inNode(body));
    });
  }
}

/** `[name, message]` of what `body` throws (or rejects with), as a snippet. */
const thrown = (body: string) =>
  `try { await (async () => { ${body} })(); return 'no error'; } catch (e) { return [e.name, e instanceof Error, e.constructor.name]; }`;

describe('URL and URLSearchParams (core-js)', () => {
  sameAsNode({
    'relative resolution': "return new URL('../c/./d?x=1#f', 'https://user@EXAMPLE.com:443/a/b/').href",
    'the parts of a URL': `const u = new URL('https://u:p@h.example:8080/p/a?q=1&r=%20#frag');
      return [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin]`,
    'special and opaque schemes': `return [new URL('HTTP://a/b/../c').href, new URL('mailto:Me@Example.com').href,
      new URL('file:///C:/x/../y').href, new URL('blob:https://a/b').origin, new URL('data:text/plain,hi').pathname]`,
    'IPv4, IPv6 and IDNA hosts': `return [new URL('http://0x7f.1/').host, new URL('http://[0:0::1]:80/').host,
      new URL('https://münchen.de/').hostname, new URL('http://EXAMPLE.com./').hostname]`,
    'percent-encoding of paths, queries and fragments': "return new URL('https://a/ä b/<>?q=ä b\\'#ä b`').href",
    setters: `const u = new URL('https://a.example/p?x=1');
      u.pathname = '/q r'; u.search = 'y=2'; u.hash = 'h'; u.port = '8443'; u.protocol = 'http';
      return u.href`,
    'searchParams follow the URL, and the URL its searchParams': `const u = new URL('https://a/?b=2&a=1');
      u.searchParams.append('c', '3 4');
      const first = u.href;
      u.search = '?z=9';
      return [first, [...u.searchParams], u.searchParams.get('z')]`,
    'invalid URLs, canParse and parse': `const bad = [];
      for (const s of ['/relative', 'http://a b', 'https://[::1', '']) {
        try { new URL(s); bad.push('parsed'); } catch (e) { bad.push(e.name); }
      }
      return [bad, URL.canParse('/x'), URL.canParse('/x', 'https://a'), URL.parse('nope'), URL.parse('b', 'https://a/')?.href]`,
    'toJSON and toString': "const u = new URL('https://a/b'); return [JSON.stringify({ u }), String(u), u.toJSON()]",
    'URLSearchParams: parsing, sort, iteration, size': `const p = new URLSearchParams('?b=2&a=1&c=%20x+y&a=0&=e');
      p.sort();
      return [p.toString(), [...p], [...p.keys()], [...p.values()], p.size, p.getAll('a'), p.get('none')]`,
    'URLSearchParams: from records and pairs, has/delete with a value': `const p = new URLSearchParams({ x: '1', y: 'ä&=' });
      const q = new URLSearchParams([['k', 'v'], ['k', 'w']]);
      q.delete('k', 'v');
      return [p.toString(), q.toString(), q.has('k', 'w'), q.has('k', 'v')]`,
  });

  it('has the descriptors of WebIDL globals once touched', async () => {
    const value = await inSandbox(`
      const before = Object.getOwnPropertyDescriptor(globalThis, 'URL');
      const u = URL;
      const after = Object.getOwnPropertyDescriptor(globalThis, 'URLSearchParams');
      return [typeof before.get, typeof u, after.value === URLSearchParams, after.writable, after.enumerable, after.configurable,
        String(new URL('https://a/')) === 'https://a/', Object.prototype.toString.call(new URL('https://a/'))]`);
    expect(value).toEqual(['function', 'function', true, true, false, true, true, '[object URL]']);
  });
});

describe('Headers', () => {
  sameAsNode({
    'case-insensitive names, iteration lowercased and sorted, values combined': `const h = new Headers({ 'X-B': '1', 'x-a': '2' });
      h.append('X-b', '3');
      return [h.get('x-B'), h.has('X-A'), [...h], [...h.keys()], [...h.values()], h.get('missing')]`,
    'Set-Cookie stays one value per header': `const h = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X', 'y']]);
      return [h.getSetCookie(), [...h], h.get('set-cookie')]`,
    'set replaces every value, delete removes them': `const h = new Headers([['a', '1'], ['b', '2'], ['A', '3']]);
      h.set('A', '4');
      const afterSet = [...h];
      h.delete('b');
      return [afterSet, [...h]]`,
    'values are trimmed of HTTP whitespace': "return new Headers({ a: ' \\t x y \\n' }).get('a')",
    'from another Headers, and forEach': `const h = new Headers(new Headers({ b: '2', a: '1' }));
      const seen = [];
      h.forEach((value, name, self) => seen.push([name, value, self === h]));
      return seen`,
    'invalid names and values': `const errors = [];
      for (const f of [() => new Headers({ 'a b': 'x' }), () => new Headers({ a: 'x\\ny' }), () => new Headers({ 'é': 'x' }),
        () => new Headers([['a']]), () => new Headers([['a', 'b', 'c']]), () => new Headers(5), () => new Headers().append('a')]) {
        try { f(); errors.push('ok'); } catch (e) { errors.push(e.name); }
      }
      return errors`,
    'the iterator is a Headers Iterator': `const it = new Headers({ a: '1' })[Symbol.iterator]();
      return [Object.prototype.toString.call(it), it.next(), it.next(), Headers.prototype[Symbol.iterator] === Headers.prototype.entries,
        Object.prototype.toString.call(new Headers())]`,
  });
});

describe('Request', () => {
  sameAsNode({
    'method normalisation, url, headers, body': `const r = new Request('https://a.example/p?q=1', { method: 'post', headers: { 'X-A': '1' }, body: 'hé' });
      const p = new Request('https://a.example/', { method: 'patch' });
      return [r.method, p.method, r.url, [...r.headers], r.bodyUsed, await r.text(), r.bodyUsed]`,
    'construction errors': `const errors = [];
      for (const f of [() => new Request('https://a/', { body: 'x' }), () => new Request('https://a/', { method: 'HEAD', body: 'x' }),
        () => new Request('/relative'), () => new Request('https://u:p@a/'), () => new Request('https://a/', { method: 'CONNECT' }),
        () => new Request('https://a/', { method: 'bad method' }), () => new Request('https://a/', { redirect: 'nope' }),
        () => new Request()]) {
        try { f(); errors.push('ok'); } catch (e) { errors.push(e.name); }
      }
      return errors`,
    'json, arrayBuffer, bytes, and a body read twice': `const r = new Request('https://a/', { method: 'PUT', body: '{"x":[1]}' });
      const c = r.clone();
      const json = await r.json();
      let again;
      try { await r.text(); } catch (e) { again = e.name; }
      const ab = await c.arrayBuffer();
      return [json, again, ab.byteLength, ab instanceof ArrayBuffer, await new Request('https://a/', { method: 'POST', body: new Uint8Array([1, 2]) }).bytes().then((b) => [b instanceof Uint8Array, [...b]])]`,
    'a Request made from a Request takes its body': `const a = new Request('https://a/', { method: 'POST', body: 'x', headers: { h: '1' } });
      const b = new Request(a, { headers: { h: '2' } });
      return [a.bodyUsed, b.method, b.url, b.headers.get('h'), await b.text()]`,
    'default content types': `const types = [];
      for (const body of ['s', new URLSearchParams('a=1'), new Uint8Array(1), new ArrayBuffer(1), new DataView(new ArrayBuffer(1))]) {
        types.push(new Request('https://a/', { method: 'POST', body }).headers.get('content-type'));
      }
      return types`,
  });
});

describe('Response', () => {
  sameAsNode({
    defaults: `const r = new Response();
      return [r.status, r.ok, r.statusText, r.type, r.url, r.redirected, r.bodyUsed, [...r.headers], await r.text()]`,
    'status, statusText and headers': `const r = new Response('nope', { status: 404, statusText: 'Not Found', headers: [['X-A', '1']] });
      return [r.status, r.ok, r.statusText, [...r.headers], await r.text()]`,
    'status is an unsigned short, and must be 200–599': `const out = [new Response('', { status: 65736 }).status];
      for (const status of [199, 600, 0, -1, 1e6]) {
        try { new Response('', { status }); out.push('ok'); } catch (e) { out.push(e.name); }
      }
      return out`,
    'null body statuses refuse a body': `const out = [];
      for (const status of [204, 205, 304]) {
        try { new Response('x', { status }); out.push('ok'); } catch (e) { out.push(e.name); }
        out.push(new Response(null, { status }).status);
      }
      return out`,
    'Response.json': `const r = Response.json({ a: [1, 'é'] }, { status: 201, headers: { 'X-B': '2' } });
      let bad;
      try { Response.json(undefined); } catch (e) { bad = e.name; }
      return [r.status, [...r.headers], await r.json(), bad]`,
    'Response.error and Response.redirect': `const e = Response.error();
      const r = Response.redirect('https://a.example/x y', 301);
      const out = [e.type, e.status, e.ok, r.status, r.headers.get('location'), [...r.headers]];
      for (const f of [() => r.headers.set('a', 'b'), () => e.headers.append('a', 'b'), () => Response.redirect('https://a/', 200), () => Response.redirect('/relative')]) {
        try { f(); out.push('ok'); } catch (x) { out.push(x.name); }
      }
      return out`,
    'clone, bodyUsed, and a body read twice': `const r = new Response('abc');
      const c = r.clone();
      const text = await r.text();
      const again = await r.text().then(() => 'read', (e) => e.name);
      let clone;
      try { r.clone(); } catch (e) { clone = e.name; }
      return [text, r.bodyUsed, again, clone, c.bodyUsed, await c.text()]`,
    'binary bodies stay bytes': `const r = new Response(new Uint8Array([0, 255, 128, 10]).subarray(1));
      const bytes = await r.clone().bytes();
      return [[...bytes], await r.text()]`,
    'a URLSearchParams body':
      "const r = new Response(new URLSearchParams({ a: '1 2' })); return [r.headers.get('content-type'), await r.text()]",
    'illegal invocations': `const out = [];
      for (const f of [() => Object.getOwnPropertyDescriptor(Response.prototype, 'status').get.call({}), () => Response.prototype.text.call({}),
        () => Headers.prototype.get.call({}, 'a'), () => Request.prototype.clone.call(new Response())]) {
        try { await f(); out.push('ok'); } catch (e) { out.push(e.name); }
      }
      return out`,
  });
});

describe('TextEncoder and TextDecoder', () => {
  sameAsNode({
    'a round trip of non-ASCII text': `const s = 'añ€😀\\u0000z';
      const bytes = new TextEncoder().encode(s);
      return [[...bytes], new TextDecoder().decode(bytes), new TextEncoder().encoding, new TextDecoder('UTF8 ').encoding]`,
    'lone surrogates become U+FFFD': "return [...new TextEncoder().encode('a\\ud800b\\udc00')]",
    'encodeInto stops before a character that does not fit': `const out = new Uint8Array(5);
      const r = new TextEncoder().encodeInto('a€😀', out);
      return [r, [...out]]`,
    'bad bytes become U+FFFD':
      'return new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98]))',
    'fatal mode throws a TypeError': `const d = new TextDecoder('utf-8', { fatal: true });
      let name;
      try { d.decode(new Uint8Array([0xc3, 0x28])); } catch (e) { name = e.name; }
      return [d.fatal, name, d.decode(new Uint8Array([0xc3, 0xa9]))]`,
    'a BOM is dropped unless ignoreBOM': `const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]);
      return [new TextDecoder().decode(bytes), new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).length]`,
    'streaming keeps a split character': `const d = new TextDecoder();
      const bytes = new TextEncoder().encode('€😀');
      return [d.decode(bytes.subarray(0, 2), { stream: true }), d.decode(bytes.subarray(2, 5), { stream: true }), d.decode(bytes.subarray(5))]`,
    'ArrayBuffer, DataView and typed array inputs': `const b = new TextEncoder().encode('xyz').buffer;
      return [new TextDecoder().decode(b), new TextDecoder().decode(new DataView(b, 1)), new TextDecoder().decode(new Uint16Array(b, 0, 1)), new TextDecoder().decode()]`,
  });

  it('supports utf-8 only: another label is a RangeError', async () => {
    expect(await inSandbox(thrown("new TextDecoder('latin1')"))).toEqual(['RangeError', true, 'RangeError']);
  });
});

describe('atob, btoa, DOMException', () => {
  sameAsNode({
    'round trips':
      "return [btoa('hello'), atob('aGVs bG8='), atob('YQ'), btoa(String.fromCharCode(0, 255)), atob(btoa('\\u00ff\\u0000'))]",
    InvalidCharacterError: `const out = [];
      for (const f of [() => atob('a'), () => atob('*'), () => atob('YQ=='.slice(0, 3) + '='), () => btoa('€')]) {
        try { f(); out.push('ok'); } catch (e) { out.push([e.name, e.code, e instanceof DOMException, e instanceof Error]); }
      }
      return out`,
    DOMException: `const e = new DOMException('m', 'DataCloneError');
      const plain = new DOMException();
      return [e.name, e.message, e.code, String(e), Object.prototype.toString.call(e), plain.name, plain.code,
        DOMException.INVALID_CHARACTER_ERR, e.QUOTA_EXCEEDED_ERR, e.stack.split('\\n')[0]]`,
  });
});

describe('structuredClone (core-js)', () => {
  sameAsNode({
    'Maps, Sets, Dates, RegExps, typed arrays, errors': `const d = new Date(86400000);
      const v = structuredClone({ m: new Map([[1, { d }]]), s: new Set(['a']), r: /x/gi, u: new Uint16Array([1, 2]), e: new RangeError('r') });
      return [v.m instanceof Map, v.m.get(1).d.getTime(), v.m.get(1).d !== d, [...v.s], String(v.r), [...v.u], v.e instanceof RangeError, v.e.message]`,
    'cycles and shared references': `const o = { name: 'o' };
      o.self = o;
      const shared = [1];
      const c = structuredClone({ o, a: shared, b: shared });
      return [c.o.self === c.o, c.o !== o, c.a === c.b]`,
    'what cannot be cloned is a DataCloneError': `const out = [];
      for (const v of [() => {}, Symbol('s'), new WeakMap()]) {
        try { structuredClone(v); out.push('ok'); } catch (e) { out.push([e.name, e instanceof DOMException]); }
      }
      return out`,
  });
});

describe('crypto', () => {
  it('fills integer typed arrays with values that differ from call to call', async () => {
    const value = (await inSandbox(`
      const a = new Uint8Array(32);
      const same = crypto.getRandomValues(a) === a;
      const b = crypto.getRandomValues(new Uint8Array(32));
      const words = crypto.getRandomValues(new BigUint64Array(2));
      return [same, Array.from(a), Array.from(b), typeof words[0]]`)) as [boolean, number[], number[], string];
    expect(value[0]).toBe(true);
    expect(value[1]).not.toEqual(value[2]);
    expect(new Set(value[1]).size).toBeGreaterThan(8);
    expect(value[3]).toBe('bigint');
  });

  it('differs from run to run, for the same owner too', async () => {
    const body = 'return Array.from(crypto.getRandomValues(new Uint8Array(16)))';
    const first = await inSandbox(body, 'same-owner');
    const second = await inSandbox(body, 'same-owner');
    expect(first).not.toEqual(second);
  });

  it('looks uniform over 64 KiB', async () => {
    const counts = (await inSandbox(`
      const b = crypto.getRandomValues(new Uint8Array(65536));
      const counts = new Array(256).fill(0);
      for (const x of b) counts[x]++;
      return counts`)) as number[];
    // Chi-square with 255 degrees of freedom: a sound generator stays far below 400 (p < 1e-7 beyond).
    const chi = counts.reduce((sum, n) => sum + (n - 256) ** 2 / 256, 0);
    expect(chi).toBeLessThan(400);
  });

  it('enforces the 65,536-byte quota and integer arrays, as browsers do', async () => {
    const value = await inSandbox(`
      const out = [crypto.getRandomValues(new Uint32Array(16384)).length];
      for (const v of [new Uint8Array(65537), new Float64Array(1), new DataView(new ArrayBuffer(1)), [1, 2], undefined]) {
        try { crypto.getRandomValues(v); out.push('ok'); } catch (e) { out.push([e.name, e.constructor.name]); }
      }
      return out`);
    expect(value).toEqual([
      16384,
      ['QuotaExceededError', 'DOMException'],
      ['TypeMismatchError', 'DOMException'],
      ['TypeMismatchError', 'DOMException'],
      ['TypeError', 'TypeError'],
      ['TypeError', 'TypeError'],
    ]);
  });

  it('makes version 4 UUIDs', async () => {
    const ids = (await inSandbox('return Array.from({ length: 500 }, () => crypto.randomUUID())')) as string[];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(500);
  });

  it('is ChaCha20 keyed with the entropy the host sends (RFC 8439, A.1, test vector 1)', async () => {
    const pool = new IsolatePool({
      caps: { maxOutputChars: 65536, maxLogEntries: 1000, maxPreviewChars: 8192, maxResponseBytes: 1048576 },
      defaultMemoryMb: 64,
      recycleAfterRuns: 10,
      maxIdle: 1,
      spares: 0,
      onCatastrophicError: () => {},
    });
    try {
      const lease = await pool.acquire('vector', 64);
      const main = await lease.context.eval(
        '(async function () { return Array.from(crypto.getRandomValues(new Uint8Array(64))); })',
        { reference: true },
      );
      const zeroKey = '00'.repeat(32);
      await lease.control.apply(undefined, ['start', main.derefInto(), undefined, false, zeroKey, undefined]);
      const report = JSON.parse(String(await lease.control.apply(undefined, ['report']))) as { json: string };
      pool.release(lease, 'vector', false);
      const keystream =
        '76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586';
      expect(Buffer.from(JSON.parse(report.json) as number[]).toString('hex')).toBe(keystream);
    } finally {
      pool.close();
    }
  });

  it('is a Crypto that cannot be constructed', async () => {
    expect(
      await inSandbox(
        `return [Object.prototype.toString.call(crypto), crypto instanceof Crypto, (() => { try { new Crypto(); } catch (e) { return e.name; } })()]`,
      ),
    ).toEqual(['[object Crypto]', true, 'TypeError']);
  });
});

describe('fetch', () => {
  it('exists and rejects: there is no network', async () => {
    const value = await inSandbox(`
      const p = fetch('https://example.com');
      const outcome = await p.then(() => 'fulfilled', (e) => [e.name, e.message]);
      return [typeof fetch, p instanceof Promise, outcome]`);
    expect(value).toEqual(['function', true, ['TypeError', 'fetch is not available: acorns have no network access']]);
  });
});

describe('laziness and freshness', () => {
  it('loads nothing a run does not touch', async () => {
    const value = await inSandbox(`
      return ['URL', 'Response', 'structuredClone', 'crypto', 'TextEncoder'].map((name) => typeof Object.getOwnPropertyDescriptor(globalThis, name).get)`);
    expect(value).toEqual(Array(5).fill('function'));
  });

  it('behaves as data properties: assignment, deletion, typeof, in', async () => {
    const value = await inSandbox(`
      const mine = async () => 'mocked';
      globalThis.fetch = mine;
      delete globalThis.Response;
      const d = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
      const h = Headers;
      return [fetch === mine, d.value === mine, d.enumerable, 'Response' in globalThis, typeof Response,
        Object.getOwnPropertyDescriptor(globalThis, 'Request').value === Request, typeof h, Object.keys(globalThis).includes('atob')]`);
    expect(value).toEqual([true, true, true, false, 'undefined', true, 'function', true]);
  });

  it('are fresh in every run: what one run changes, the next run of the same owner does not see', async () => {
    await inSandbox(
      `URL.prototype.toString = () => 'hacked';
      Response.prototype.text = null;
      Headers.prototype.get = () => 'hacked';
      crypto.getRandomValues = null;
      globalThis.TextEncoder = 1;
      structuredClone(1);
      return 1`,
      'fresh',
    );
    const value = await inSandbox(
      `return [String(new URL('https://a/')), typeof Response.prototype.text, new Headers({ a: 'b' }).get('a'),
        typeof crypto.getRandomValues, typeof TextEncoder]`,
      'fresh',
    );
    expect(value).toEqual(['https://a/', 'function', 'b', 'function', 'function']);
  });

  it('core-js changes no built-in of v8, and leaves nothing of its own on the global', async () => {
    const value = await inSandbox(
      `const seen = new Map();
      const lazy = ['Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder', 'DOMException', 'Crypto', 'crypto', 'fetch',
        'atob', 'btoa', 'structuredClone', 'URL', 'URLSearchParams'];
      const visit = (o, path, depth) => {
        if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 4) return;
        const own = new Map();
        seen.set(o, { path, own });
        for (const key of Reflect.ownKeys(o)) {
          if (o === globalThis && lazy.includes(key)) continue;
          const d = Reflect.getOwnPropertyDescriptor(o, key);
          own.set(key, d);
          if ('value' in d) visit(d.value, path + '.' + String(key), depth + 1);
          else { visit(d.get, path + '.get ' + String(key), depth + 1); visit(d.set, path + '.set ' + String(key), depth + 1); }
        }
        visit(Reflect.getPrototypeOf(o), path + '.__proto__', depth + 1);
      };
      visit(globalThis, 'globalThis', 0);
      for (const it of [[][Symbol.iterator](), ''[Symbol.iterator](), new Map().entries(), new Set().values(), /x/[Symbol.matchAll]('x')]) {
        visit(Reflect.getPrototypeOf(it), 'iterator', 0);
      }
      // Touch everything, core-js's parts included.
      new URL('https://a/?b=1').searchParams.sort();
      structuredClone(new Map([[1, new Date()]]));
      new Response(new URLSearchParams('a=1')).headers.get('content-type');
      const changed = [];
      const same = (a, b) => Object.is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable &&
        a.enumerable === b.enumerable && a.configurable === b.configurable;
      for (const [o, { path, own }] of seen) {
        const now = Reflect.ownKeys(o).filter((key) => !(o === globalThis && (lazy.includes(key) || key === 'changed')));
        for (const key of now) {
          if (!own.has(key)) changed.push('added ' + path + '.' + String(key));
          else if (!same(own.get(key), Reflect.getOwnPropertyDescriptor(o, key))) changed.push('changed ' + path + '.' + String(key));
        }
        for (const key of own.keys()) if (!now.includes(key)) changed.push('removed ' + path + '.' + String(key));
      }
      return [changed, '__core-js_shared__' in globalThis, String(Function.prototype.toString), String(URL).includes('[native code]')]`,
    );
    expect(value).toEqual([[], false, 'function toString() { [native code] }', false]);
  });
});

describe('hostile acorns and the web globals', () => {
  it('cannot reach a host object through them', async () => {
    const value = await inSandbox(`
      const found = [];
      const seen = new Set();
      const visit = (o, path, depth) => {
        if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 4) return;
        seen.add(o);
        for (const key of Reflect.ownKeys(o)) {
          if (/ivm|isolated|^(ExternalCopy|Reference|Callback|NativeModule|process|require)$/i.test(String(key))) found.push(path + String(key));
          let v;
          try { v = o[key]; } catch { continue; }
          visit(v, path + String(key) + '.', depth + 1);
        }
        visit(Object.getPrototypeOf(o), path + '__proto__.', depth + 1);
      };
      for (const name of ['Headers', 'Request', 'Response', 'URL', 'URLSearchParams', 'crypto', 'TextEncoder', 'TextDecoder', 'DOMException', 'structuredClone', 'fetch']) {
        visit(globalThis[name], name + '.', 0);
      }
      const r = new Response('x');
      visit(r, 'response.', 0);
      return found`);
    expect(value).toEqual([]);
  });
});

describe('the core-js bundle', () => {
  it('when it was never built, the sandbox says which command builds it', () => {
    const missing = new URL('../dist/never-built.js', import.meta.url);
    expect(() => combineBootstrap([missing])).toThrow(
      /web globals are not built \(.*never-built\.js is missing\): run `npm run build -w @squirrelbin\/sandbox`/,
    );
  });
});
