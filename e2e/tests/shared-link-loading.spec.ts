/**
 * Item 9: shared links load fast. The server sends the build's precompressed brotli/gzip files by Accept-Encoding
 * (with `Vary`), caches hashed assets for a year and revalidates index.html, 404s a missing asset; a shared link
 * asks for its acorn without waiting for the editor chunk, starts that chunk with the entry, and loads no zod.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { baseURL, createAcornViaApi, expect, test } from './fixtures.ts';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose Accept-Encoding is exactly what is given (or none), and the body as sent, undecoded. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseURL()), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The entry script and stylesheet index.html names. */
async function builtFiles(): Promise<{ script: string; style: string; html: string }> {
  const index = await raw('/');
  const html = index.body.toString('utf8');
  const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  const style = /<link rel="stylesheet" crossorigin href="([^"]+)"/.exec(html)?.[1];
  expect(script, 'the entry script in index.html').toMatch(/^\/assets\/index-[\w-]+\.js$/);
  expect(style, 'the stylesheet in index.html').toMatch(/^\/assets\/index-[\w-]+\.css$/);
  return { script: script!, style: style!, html };
}

test.describe('static files from the local server', () => {
  test('hashed assets: brotli or gzip by Accept-Encoding, immutable for a year, Vary on every answer', async () => {
    const { script, style } = await builtFiles();
    const plain = await raw(script);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);

    const br = await raw(script, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length * 0.4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await raw(script, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(gzip.body.length);

    // q-values: refused codings are never sent, and the client's preference wins.
    expect((await raw(script, { 'Accept-Encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await raw(script, { 'Accept-Encoding': 'br;q=0.5, gzip;q=1' })).headers['content-encoding']).toBe('gzip');
    expect((await raw(script, { 'Accept-Encoding': '*' })).headers['content-encoding']).toBe('br');
    expect((await raw(script, { 'Accept-Encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
    expect((await raw(script, { 'Accept-Encoding': 'deflate' })).headers['content-encoding']).toBeUndefined();

    const css = await raw(style, { 'Accept-Encoding': 'br' });
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const head = await raw(script, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(String(br.body.length));
  });

  test('index.html, for / and every app route: no-cache, compressed, revalidated with an ETag', async () => {
    const { html } = await builtFiles();
    for (const path of ['/', '/index.html', '/a/some-acorn', '/embed/some-acorn', '/settings']) {
      const page = await raw(path, { 'Accept-Encoding': 'gzip' });
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type'], path).toMatch(/^text\/html/);
      expect(page.headers['cache-control'], path).toBe('no-cache');
      expect(page.headers.vary, path).toBe('Accept-Encoding');
      const body = page.headers['content-encoding'] === 'gzip' ? gunzipSync(page.body) : page.body;
      expect(body.toString('utf8'), path).toBe(html);
      const etag = page.headers.etag;
      expect(etag, path).toMatch(/^"[^"]+"$/);
      const again = await raw(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag! });
      expect(again.status, path).toBe(304);
      expect(again.body.length, path).toBe(0);
      expect(again.headers['cache-control'], path).toBe('no-cache');
    }
  });

  test('a missing asset is a 404, never index.html; build internals and .br/.gz names are not served', async () => {
    const { script } = await builtFiles();
    for (const path of ['/assets/index-doesnotexist.js', '/assets/codemirror-0ld.js', '/assets/', `${script}.br`]) {
      const missing = await raw(path, { 'Accept-Encoding': 'br, gzip' });
      expect(missing.status, path).toBe(404);
      expect(missing.headers['content-type'] ?? '', path).not.toMatch(/html/);
      expect(missing.body.toString('utf8'), path).not.toContain('<!doctype html>');
    }
    const manifest = await raw('/.vite/manifest.json');
    expect(manifest.body.toString('utf8')).not.toContain('"isEntry"');
    const traversal = await raw('/assets/..%2f..%2fpackage.json');
    expect(traversal.status).toBe(404);
    // The API keeps its own 404s.
    expect((await raw('/api/nope')).headers['content-type']).toMatch(/json/);
  });
});

test.describe('a shared link in the browser', () => {
  test('asks for the acorn while the editor chunk is still on its way, and loads no zod', async ({
    page,
    request,
    identity,
  }) => {
    const acorn = await createAcornViaApi(request, identity, {
      title: 'Shared quickly',
      code: "console.log('shared-link-loading');",
    });
    const scripts: { url: string; encoding: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) {
        scripts.push({ url: new URL(response.url()).pathname, encoding: response.headers()['content-encoding'] });
      }
    });

    // Hold the editor chunk back until the acorn has been asked for (or 15 s have passed): a page that waits for
    // CodeMirror before asking would only ask after that.
    let acornRequested!: () => void;
    const acornAsked = new Promise<void>((resolve) => {
      acornRequested = resolve;
    });
    let editorHeld = false;
    let editorReleased = false;
    let askedBeforeEditor = false;
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === `/api/acorns/${acorn.id}`) {
        askedBeforeEditor = editorHeld && !editorReleased;
        acornRequested();
      }
    });
    await page.route(/\/assets\/codemirror-[\w-]+\.js$/, async (route) => {
      editorHeld = true;
      await Promise.race([acornAsked, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      editorReleased = true;
      await route.continue();
    });

    await page.goto(`/a/${acorn.id}`);
    await expect(page.getByTestId('code-editor')).toContainText('shared-link-loading');
    expect(askedBeforeEditor).toBe(true);

    // The big chunks arrived as brotli (Chromium sends `br` to localhost), and zod stayed out of the editor.
    for (const name of ['index', 'codemirror', 'acorn-workbench']) {
      const chunk = scripts.find((s) => new RegExp(`^/assets/${name}-[\\w-]+\\.js$`).test(s.url));
      expect(chunk, name).toBeDefined();
      expect(chunk!.encoding, name).toBe('br');
    }
    expect(scripts.map((s) => s.url).filter((url) => /\/zod-/.test(url))).toEqual([]);
  });

  test('starts the editor chunk with the entry chunk, not after it', async ({ page, request, identity }) => {
    const acorn = await createAcornViaApi(request, identity, { title: 'Preloaded', code: '1 + 1' });
    // A slow link, so the entry chunk takes a while to arrive.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: 200_000,
      uploadThroughput: 93_750,
    });
    await page.goto(`/a/${acorn.id}`);
    await expect(page.getByTestId('code-editor')).toContainText('1 + 1');
    const timings = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => ({
        path: new URL(entry.name).pathname,
        start: entry.startTime,
        end: (entry as PerformanceResourceTiming).responseEnd,
      })),
    );
    const entry = timings.find((t) => /^\/assets\/index-[\w-]+\.js$/.test(t.path))!;
    const editor = timings.find((t) => /^\/assets\/codemirror-[\w-]+\.js$/.test(t.path))!;
    expect(entry).toBeDefined();
    expect(editor).toBeDefined();
    expect(editor.start).toBeLessThan(entry.end);
  });
});
