import { createAdminKey, expect, screenshot, test } from './fixtures.ts';

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
  await expect(page.getByRole('columnheader', { name: /Endpoint/ })).toHaveAttribute('aria-sort', 'ascending');
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
