import { createAcornViaApi, expect, screenshot, test } from './fixtures.ts';

test('export the key from one browser and import it into another', async ({
  page,
  browser,
  request,
  identity,
}, testInfo) => {
  const title = `Travelling acorn ${Date.now()}`;
  const acorn = await createAcornViaApi(request, identity, { title, code: "'mine'", visibility: 'private' });

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Show' }).click();
  const exported = await page.getByTestId('identity-key').inputValue();
  expect(exported).toBe(identity.key);
  await screenshot(page, testInfo, 'settings');

  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto('/mine');
  await expect(other.getByTestId('no-identity')).toBeVisible();
  await other.goto('/settings');
  // A key the server does not know is refused.
  await other.getByLabel('Key to import').fill(`sqb_${'x'.repeat(40)}`);
  await other.getByTestId('import-submit').click();
  await expect(other.getByText('This server does not know that key.')).toBeVisible();

  await other.getByLabel('Key to import').fill(exported);
  await other.getByTestId('import-submit').click();
  await expect(other.getByTestId('import-done')).toBeVisible();
  await other.goto('/mine');
  await expect(other.getByTestId('acorn-list')).toContainText(title);
  await screenshot(other, testInfo, 'mine');
  await other.getByRole('link', { name: title }).click();
  await expect(other).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  await expect(other.getByTestId('save')).toContainText(/^Save/);
  await expect(other.getByTestId('save')).not.toContainText('fork');
  await otherContext.close();
});
