import { expect, screenshot, setCode, test } from './fixtures.ts';

test('a hostile acorn times out while the page stays responsive', async ({ page }) => {
  await page.goto('/new');
  await setCode(page, 'while (true) {}');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('running…');
  // The page answers while the run is in flight.
  await page.getByLabel('Title').fill('Still typing while it spins');
  await expect(page.getByLabel('Title')).toHaveValue('Still typing while it spins');
  await expect(page.getByTestId('run-status')).toHaveText('timeout', { timeout: 20_000 });
  await expect(page.getByTestId('run')).toBeEnabled();
});

test('scratch: run without saving, then save as an acorn', async ({ page }, testInfo) => {
  await page.goto('/scratch');
  const code = "console.log('from scratch');\ninput?.n ?? 5";
  await setCode(page, code);
  await page.getByTestId('run-input').fill('{"n": 11}');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.getByTestId('run-logs')).toContainText('from scratch');
  await expect(page.getByTestId('run-value')).toContainText('11');
  await screenshot(page, testInfo, 'scratch');

  await page.getByTestId('save-as-acorn').click();
  await page.getByTestId('save-title').fill('Kept from scratch');
  await page.getByTestId('save-confirm').click();
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  await expect(page.getByLabel('Title')).toHaveValue('Kept from scratch');
  await expect(page.getByTestId('code-editor')).toContainText("console.log('from scratch');");
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
});

test('invalid JSON input is refused before running', async ({ page }) => {
  await page.goto('/scratch');
  await page.getByTestId('run-input').fill('{not json');
  await page.getByTestId('run').click();
  await expect(page.getByText(/Input is not valid JSON/)).toBeVisible();
});
