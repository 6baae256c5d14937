/** Item 3: a failed save is reported next to Save, announced, and focused; the editor shows the size limit. */
import { createAcornViaApi, expect, setCode, test } from './fixtures.ts';

test('code over 64 KiB: the editor says so before saving, and Save reports it right there', async ({ page }) => {
  await page.goto('/new');
  await expect(page.getByTestId('code-size')).toContainText('of 64 KiB');
  await expect(page.getByTestId('code-size')).toHaveAttribute('data-over', 'false');
  const big = `// ${'x'.repeat(100)}\n`.repeat(700);
  await setCode(page, big);
  await expect(page.getByTestId('code-size')).toHaveAttribute('data-over', 'true');
  await expect(page.getByTestId('code-size')).toContainText('over the limit');
  await expect(page.getByTestId('code-editor')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('save').click();
  const error = page.getByTestId('save-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(error).toContainText('Code is over 64 KiB');
  await expect(error).toBeFocused();
  await expect(error).toBeInViewport();
  await expect(page.getByTestId('save-status')).toHaveText('Not saved yet');
});

test('a server error on save appears next to Save, focused, with the draft kept', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Fragile', code: "'v1'" });
  await page.route(`**/api/acorns/${acorn.id}`, (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'urn:squirrelbin:problem:store-unavailable',
            title: 'The store is not answering',
            status: 503,
            requestId: 'req-e2e',
          }),
        })
      : route.continue(),
  );
  await page.goto(`/a/${acorn.id}`);
  await setCode(page, "'kept after a failure'");
  await page.getByTestId('save').click();
  const error = page.getByTestId('save-error');
  await expect(error).toContainText('The store is not answering');
  await expect(error).toContainText('req-e2e');
  await expect(error).toBeFocused();
  await expect(error).toBeInViewport();
  await expect(page.getByTestId('save-status')).toHaveText('Unsaved changes');
  await expect(page.getByTestId('code-editor')).toContainText('kept after a failure');
});
