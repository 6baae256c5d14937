import { createAdminKey, expect, importKey, screenshot, test } from './fixtures.ts';

test('an admin key sees the endpoint table and charts after traffic', async ({ page, request }, testInfo) => {
  const key = createAdminKey();
  // Some traffic, including errors, for the metrics to show.
  for (let n = 0; n < 5; n++) await request.get('/api/acorns?limit=5');
  await request.get('/api/acorns/does-not-exist-000000');
  await request.post('/api/run', { data: { language: 'javascript', code: '1 + 1' } });

  await page.goto('/settings');
  await page.getByLabel('Key to import').fill(key);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await expect(page.getByTestId('nav-admin')).toBeVisible();
  await page.getByTestId('nav-admin').click();
  await expect(page).toHaveURL(/\/admin$/);

  // Metrics reach the store on a short flush timer: refresh until the listing endpoint shows up.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByTestId('metrics-table')).toContainText('acorns.list', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  expect(await page.getByTestId('metrics-row').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('endpoint-charts')).toBeVisible();
  await expect(page.getByTestId('chart-requests').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-errors').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-latency').locator('canvas')).toBeVisible();

  // Sorting by a column reorders the table.
  await page.getByRole('button', { name: /^Endpoint/ }).click();
  await expect(page.getByTestId('metrics-table').getByRole('columnheader', { name: /Endpoint/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await page.getByTestId('metrics-range').selectOption('24h');
  await expect(page.getByTestId('metrics-table')).toBeVisible();
  await screenshot(page, testInfo, 'admin');
});

test('a non-admin key does not see the admin page', async ({ page, identity }) => {
  void identity;
  await page.goto('/');
  await expect(page.getByTestId('acorn-list').or(page.getByText(/No public acorns/))).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByTestId('admin-required')).toBeVisible();
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
});

test('run outcomes per run endpoint, 4xx apart from 5xx, and p95', async ({ page, request }) => {
  const key = createAdminKey();
  const runs = ['1 + 1', "throw new Error('boom')", 'while (true) {}', "'fine'"];
  for (const code of runs) {
    const response = await request.post('/api/run', {
      data: { language: 'javascript', code, limits: { timeoutMs: 100 } },
    });
    expect(response.status()).toBe(200);
  }
  expect((await request.get('/api/acorns/no-such-acorn-0000000')).status()).toBe(404);

  await importKey(page, key);
  await page.getByTestId('nav-admin').click();
  const row = page.locator('[data-testid="outcomes-row"][data-endpoint="run.code"]');
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(row.locator('[data-outcome="timeout"]')).not.toHaveText('0', { timeout: 1_000 });
    await expect(
      page.getByTestId('metrics-row').filter({ hasText: 'acorns.get' }).getByTestId('cell-4xx'),
    ).not.toHaveText('0', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  expect(Number(await row.locator('[data-outcome="ok"]').textContent())).toBeGreaterThanOrEqual(2);
  expect(Number(await row.locator('[data-outcome="error"]').textContent())).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('metrics-table').getByRole('columnheader', { name: /^p95/ })).toBeVisible();
  await expect(page.getByTestId('metrics-table').getByRole('columnheader', { name: /^5xx/ })).toBeVisible();
  await expect(page.getByTestId('metrics-row').filter({ hasText: 'run.code' }).getByTestId('cell-p95')).not.toHaveText(
    '–',
  );
  // The outcome chart shows for a run endpoint.
  await page.getByRole('button', { name: 'Charts for run.code' }).click();
  await expect(page.getByTestId('chart-outcomes').locator('canvas')).toBeVisible();
});
