/**
 * Acorn endpoints (issue 12): what `/x/{id}` serves runs sandboxed, away from the SPA's stored key; and the editor's
 * endpoint tools — the switch, the template, the request tester (draft, then live), the recorded call, the traffic.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { createAcornViaApi, expect, screenshot, test } from './fixtures.ts';

/**
 * Serves a page whose script tries to read what a same-origin page could: this origin's localStorage (the SPA keeps
 * its key there), its cookies, the parent's storage, and names its own origin. Each outcome is written into the DOM.
 */
const probeAcorn = `export default function handle() {
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><title>Storage probe</title></head><body>',
    '<p id="storage">pending</p><p id="cookie">pending</p><p id="parent">pending</p><p id="origin">pending</p>',
    '<script>',
    'function report(id, read) {',
    '  let text;',
    '  try { text = "read:" + String(read()); } catch (error) { text = "blocked:" + error.name; }',
    '  document.getElementById(id).textContent = text;',
    '}',
    'report("storage", () => localStorage.getItem("squirrelbin.identity"));',
    'report("cookie", () => document.cookie);',
    'report("parent", () => window.parent.localStorage.getItem("squirrelbin.identity"));',
    'report("origin", () => self.origin);',
    '</script></body></html>',
  ].join('\\n');
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
`;

test('a page an endpoint serves runs in an opaque origin: it cannot read the SPA’s stored key', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Storage probe',
    code: probeAcorn,
    visibility: 'unlisted',
    endpoint: true,
  });
  // The SPA has stored its key on this origin.
  await page.goto('/');
  expect(await page.evaluate(() => localStorage.getItem('squirrelbin.identity'))).toContain(identity.key);
  await page.context().addCookies([{ name: 'spa_cookie', value: 'secret', url: page.url() }]);

  const response = await page.goto(`/x/${acorn.id}`);
  expect(response!.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['content-type']).toContain('text/html');
  expect(headers['content-security-policy']).toContain('sandbox');
  expect(headers['content-security-policy']).toContain('allow-scripts');
  expect(headers['content-security-policy']).not.toContain('allow-same-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-run-status']).toBe('ok');
  expect(Number(headers['x-run-wall-ms'])).toBeGreaterThanOrEqual(0);

  // The page's script ran, and every read of this origin's storage failed.
  await expect(page.locator('#storage')).toHaveText('blocked:SecurityError');
  await expect(page.locator('#cookie')).toHaveText(/^blocked:|^read:$/);
  await expect(page.locator('#parent')).toHaveText(/^blocked:/);
  await expect(page.locator('#origin')).toHaveText('read:null');
  expect(await page.content()).not.toContain(identity.key);
  expect(await page.content()).not.toContain('secret');
  // Not even the test, evaluating inside that page, gets at the SPA's storage from there.
  await expect(page.evaluate(() => localStorage.getItem('squirrelbin.identity'))).rejects.toThrow(
    /SecurityError|denied/,
  );
});

test('only public or unlisted acorns with the switch on are served', async ({ request, identity }) => {
  const code = 'export default () => new Response("hi")';
  const off = await createAcornViaApi(request, identity, { title: 'Not an endpoint', code });
  const secret = await createAcornViaApi(request, identity, {
    title: 'Private endpoint',
    code,
    visibility: 'private',
    endpoint: true,
  });
  for (const id of [off.id, secret.id, 'no-such-acorn-0000000']) {
    const response = await request.get(`/x/${id}/anything`);
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toContain('application/problem+json');
    expect(response.headers()['content-security-policy']).toContain('sandbox');
  }
});

test('the editor: switch Endpoint on, use the template, send a draft, save, call it live, see the call and traffic', async ({
  page,
  identity,
}, testInfo) => {
  void identity;
  // Two axe audits on a busy 2-core machine.
  test.setTimeout(150_000);
  await page.goto('/new');
  await page.getByLabel('Title').fill('Hello endpoint');
  const endpointSwitch = page.getByRole('switch', { name: 'Endpoint' });
  await expect(endpointSwitch).not.toBeChecked();
  await endpointSwitch.check();
  await expect(endpointSwitch).toBeChecked();

  // A new acorn with the starter code is offered the template.
  await page.getByTestId('use-endpoint-template').click();
  await expect(page.getByTestId('code-editor')).toContainText('export default async function handle(request)');
  await expect(page.getByTestId('endpoint-template-offer')).toHaveCount(0);
  await expect(page.getByTestId('endpoint-unsaved')).toBeVisible();

  // Not saved yet: Send runs the draft, and says it is not recorded.
  const tester = page.getByTestId('request-tester');
  await expect(tester.getByTestId('tester-mode')).toContainText('Draft — not recorded');
  await tester.getByLabel(/Path and query/).fill('/?name=draft');
  await tester.getByTestId('tester-send').click();
  await expect(tester.getByTestId('tester-reply-mode')).toHaveText('draft — not recorded');
  await expect(tester.getByTestId('tester-status')).toHaveText('200 OK');
  await expect(tester.getByTestId('tester-body')).toContainText('"hello": "draft"');
  await expect(tester.getByTestId('endpoint-logs')).toContainText('GET /');

  await page.getByTestId('save').click();
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  const url = `${new URL(page.url()).origin}/x/${id}`;
  await expect(page.getByTestId('endpoint-url')).toHaveText(url);
  await expect(page.getByTestId('invocations-empty')).toBeVisible();

  // Saved and unchanged: Send calls the real endpoint.
  await expect(tester.getByTestId('tester-mode')).toContainText('Live');
  await tester.getByLabel(/Path and query/).fill('/?name=e2e');
  await tester.getByTestId('tester-send').click();
  await expect(tester.getByTestId('tester-reply-mode')).toHaveText('live');
  await expect(tester.getByTestId('tester-status')).toHaveText('200 OK');
  await expect(tester.getByTestId('tester-run-status')).toHaveText('run ok');
  await expect(tester.getByTestId('tester-body')).toContainText('"hello": "e2e"');
  await expect(tester.getByTestId('tester-timings')).toContainText('(X-Run-Wall-Ms)');
  await tester.getByText(/Response headers/).click();
  await expect(tester.getByTestId('tester-headers')).toContainText('x-run-status: ok');
  // Its logs come from the call's record.
  await expect(tester.getByTestId('endpoint-logs')).toContainText('GET /');

  // The call shows up in the list, and opens to its logs.
  const row = page.getByTestId('invocation-row').filter({ hasText: 'GET /?name=e2e' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('200 OK');
  await expect(row).toHaveAttribute('data-run-status', 'ok');
  await row.getByTestId('invocation-toggle').click();
  await expect(page.getByTestId('invocation-details')).toContainText('GET /');

  // A route the handler does not have: its 404, recorded too.
  await tester.getByTestId('tester-method').selectOption('POST');
  await tester.getByLabel(/Path and query/).fill('/nowhere');
  await tester.getByLabel('Body').fill('{"a":1}');
  await tester.getByTestId('tester-send').click();
  await expect(tester.getByTestId('tester-status')).toHaveText('404 Not Found');
  await expect(page.getByTestId('invocation-row').filter({ hasText: 'POST /nowhere' })).toContainText('404');

  // The traffic: this acorn's one series, counted on a short flush timer.
  const traffic = page.getByTestId('endpoint-traffic');
  await expect(async () => {
    await traffic.getByRole('button', { name: 'Refresh' }).click();
    await expect(traffic.getByTestId('traffic-count')).toHaveText('2', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(traffic.getByTestId('chart-requests').locator('canvas')).toBeVisible();
  await expect(traffic.getByRole('heading', { name: `acorn:${id}` })).toBeVisible();
  await screenshot(page, testInfo, 'endpoint-editor');

  // Every endpoint tool passes axe, in light and dark.
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, `${scheme}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
  }

  // An unsaved change: back to the draft, and the live endpoint keeps serving the saved version.
  await page.getByLabel('Title').fill('Hello endpoint, renamed');
  await expect(tester.getByTestId('tester-mode')).toContainText('Draft — not recorded');
  await expect(tester.getByTestId('tester-mode')).toContainText('unsaved changes');
});

test('a private endpoint acorn explains it is not served, and its tester runs the draft', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Private handler',
    code: 'export default (request) => Response.json({ method: request.method })',
    visibility: 'private',
    endpoint: true,
  });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByRole('switch', { name: 'Endpoint' })).toBeChecked();
  await expect(page.getByTestId('endpoint-private')).toContainText('Only public or unlisted acorns are served');
  await expect(page.getByTestId('endpoint-url')).toHaveCount(0);
  const tester = page.getByTestId('request-tester');
  await expect(tester.getByTestId('tester-mode')).toContainText('private acorns are not served');
  await tester.getByTestId('tester-method').selectOption('DELETE');
  await tester.getByTestId('tester-send').click();
  await expect(tester.getByTestId('tester-body')).toContainText('"method": "DELETE"');
});

test('Run on an endpoint acorn calls its handler with the request tester’s request, not with the input', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Run me as an endpoint',
    code: [
      'export default async (request) => {',
      '  const url = new URL(request.url);',
      "  console.log('handled', request.method, url.pathname);",
      "  return Response.json({ method: request.method, q: url.searchParams.get('q') });",
      '};',
    ].join('\n'),
    endpoint: true,
  });
  await page.goto(`/a/${acorn.id}`);
  const tester = page.getByTestId('request-tester');
  await expect(tester).toBeVisible();

  // The tester's request as it stands (GET / by default), sent by Run.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.getByTestId('endpoint-run-note')).toContainText(`GET /x/${acorn.id}`);
  await expect(page.getByTestId('run-response-status')).toContainText('200');
  await expect(page.getByTestId('run-response-body')).toContainText('"method":"GET"');
  await expect(page.getByTestId('run-logs')).toContainText(`handled GET /x/${acorn.id}`);

  // Ctrl/Cmd+Enter after changing the tester's request sends that one.
  await tester.getByTestId('tester-method').selectOption('POST');
  await tester.getByLabel(/Path and query/).fill('/search?q=nuts');
  await page.getByTestId('code-editor').click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('endpoint-run-note')).toContainText(`POST /x/${acorn.id}/search?q=nuts`);
  await expect(page.getByTestId('run-response-body')).toContainText('"q":"nuts"');
  await expect(page.getByTestId('run-response-body')).toContainText('"method":"POST"');
});
