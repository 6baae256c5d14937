/** Item 6: fixed-height panes, output tools, long output, and the mobile layout. */
import { createAdminKey, expect, importKey, setCode, test } from './fixtures.ts';

test('5,000 log lines stay inside the output pane: the page does not grow, and the list is windowed', async ({
  page,
}) => {
  await page.goto('/scratch');
  await setCode(
    page,
    "for (let i = 0; i < 5000; i++) { if (i % 10 === 0) console.warn('warn ' + i); else console.log('line ' + i); }\n'done'",
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  // The server keeps 1,000 entries; the panel draws only the ones near view.
  await expect(page.getByTestId('run-logs')).toHaveAttribute('data-windowed', 'true');
  expect(await page.getByTestId('run-logs').locator('li').count()).toBeLessThan(200);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(2_500);
  await expect(page.getByTestId('run-value')).toBeAttached();

  // Scrolling the output reaches the end of the logs (rows are measured as they are drawn, so the end may move
  // a little while scrolling there, as in any windowed list).
  await expect(async () => {
    await page.getByTestId('output-body').evaluate((body) => {
      body.scrollTop = body.scrollHeight;
    });
    await expect(page.getByTestId('run-value')).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });

  // Level filter, then clear.
  await page.getByTestId('output-body').evaluate((body) => {
    body.scrollTop = 0;
  });
  await page.getByTestId('level-log').click();
  await expect(page.getByTestId('level-log')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('run-logs').locator('li').first()).toHaveAttribute('data-level', 'warn');
  await expect(page.getByTestId('run-logs').locator('li[data-level="log"]')).toHaveCount(0);
  await page.getByTestId('output-clear').click();
  await expect(page.getByTestId('run-status')).toHaveCount(0);
  await expect(page.getByTestId('run-logs')).toHaveCount(0);
});

test('a long paste keeps Run and the output on screen; Copy copies the output', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/scratch');
  await setCode(page, `${"console.log('pasted');\n".repeat(600)}'end'`);
  await expect(page.getByTestId('run')).toBeInViewport();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.getByTestId('output-panel')).toBeInViewport();
  await page.getByTestId('output-copy').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('[log]');
  expect(copied).toContain('pasted');
  expect(copied).toMatch(/result: .*end/);
});

test.describe('on a phone (390×844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the output is in view after Run, with no keyboard hints and line wrapping on', async ({ page }) => {
    await page.goto('/new');
    await expect(page.locator('kbd').first()).toBeHidden();
    await expect(page.getByTestId('wrap-lines')).toBeChecked();
    await setCode(page, "console.log('on the phone');\n'tapped'");
    await page.getByTestId('run').tap();
    await expect(page.getByTestId('run-status')).toHaveText('ok');
    await expect(page.getByTestId('pane-tab-output')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('run-status')).toBeInViewport();
    await expect(page.getByTestId('run-logs')).toBeInViewport();
    await expect(page.getByTestId('code-editor')).toBeHidden();
    // Back to the code with the tab.
    await page.getByTestId('pane-tab-code').tap();
    await expect(page.getByTestId('code-editor')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test('the admin page fits 390 px', async ({ page, request }) => {
    const key = createAdminKey();
    await request.post('/api/run', { data: { language: 'javascript', code: '1' } });
    await importKey(page, key);
    await page.getByTestId('nav-admin').click();
    await expect(page.getByTestId('metrics-table').or(page.getByTestId('metrics-empty'))).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
