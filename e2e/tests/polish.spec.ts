/** Item 12: the small things — output states, the title counter, 429 countdown, nothing to save, agreeing versions. */
import { createAcornViaApi, expect, setCode, test, updateAcornViaApi } from './fixtures.ts';

test('output: no Result box for a failed run, invalid input clears an old "ok", the last result stays dimmed while running', async ({
  page,
}) => {
  await page.goto('/scratch');
  await setCode(page, "throw new Error('nope')");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('error');
  await expect(page.getByTestId('run-error')).toBeVisible();
  await expect(page.getByTestId('run-value')).toHaveCount(0);

  await setCode(page, "console.log('first run');\n'ok'");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await page.getByTestId('run-input').fill('{nope');
  await page.getByTestId('run').click();
  await expect(page.getByText(/Input is not valid JSON/)).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveCount(0);
  await expect(page.getByTestId('run-value')).toHaveCount(0);

  await page.getByTestId('run-input').fill('');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await setCode(page, "console.log('second run');\nconst end = Date.now() + 1500; while (Date.now() < end) {}\n'slow'");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('running…');
  await expect(page.getByTestId('run-details')).toHaveClass(/stale/);
  await expect(page.getByTestId('run-logs')).toContainText('first run');
  await expect(page.getByTestId('run-status')).not.toHaveText('running…', { timeout: 20_000 });
  await expect(page.getByTestId('run-details')).not.toHaveClass(/stale/);
});

test('a 429 counts down before asking again', async ({ page }) => {
  await page.route('**/api/run', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Retry-After': '3', 'Content-Type': 'application/problem+json' },
      body: JSON.stringify({ type: 'urn:squirrelbin:problem:rate-limited', title: 'Too many runs', status: 429 }),
    }),
  );
  await page.goto('/scratch');
  await page.getByTestId('run').click();
  const error = page.getByTestId('output-body').getByTestId('error-message');
  await expect(error).toContainText('Try again in 3 s');
  await expect(error).toContainText('Try again in 2 s');
  await expect(error).toContainText('You can try again now', { timeout: 5_000 });
});

test('the title counter shows the limit, and a long paste is kept whole', async ({ page }) => {
  await page.goto('/new');
  const title = page.getByLabel('Title');
  const long = 'A very long pasted title '.repeat(6).trim();
  expect(long.length).toBeGreaterThan(120);
  await title.fill(long);
  await expect(title).toHaveValue(long);
  await expect(page.getByTestId('title-counter')).toHaveText(`${long.length}/120`);
  await expect(page.getByTestId('title-counter')).toHaveClass(/over/);
  await page.getByTestId('save').click();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('save-error')).toContainText('At most 120 characters');
});

test('Ctrl+S with nothing to save says so', async ({ page, request, identity }) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Unchanged', code: '1' });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await page.getByTestId('code-editor').click();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('nothing-to-save')).toHaveText('Nothing to save: no changes since version 1.');
  await page.keyboard.type(' ');
  await expect(page.getByTestId('nothing-to-save')).toHaveCount(0);
});

test('after a conflict, the history and the conflict panel name the same current version', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Raced', code: "'v1'" });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('history-current')).toHaveText('Current: version 1.');
  await updateAcornViaApi(request, identity, acorn.id, 1, { code: "'v2 from elsewhere'" });
  await setCode(page, "'mine'");
  await page.getByTestId('save').click();
  await expect(page.getByTestId('conflict-panel')).toContainText('version 2 has been saved since');
  await expect(page.getByTestId('history-current')).toHaveText(
    'Current: version 2. Your changes were made on version 1.',
  );
  await expect(page.getByTestId('revision-item')).toHaveCount(1);
});
