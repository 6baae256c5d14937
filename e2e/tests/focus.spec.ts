/** Item 10: focus follows navigation, dialogs behave as dialogs, invalid fields take focus. */
import { createAcornViaApi, expect, test } from './fixtures.ts';

test('after an in-app navigation, focus is on the new page’s heading', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  await page.getByRole('link', { name: 'Scratch' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Scratch' })).toBeFocused();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
});

test('the delete dialog traps focus, starts on Cancel, closes on Escape and gives focus back', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Keep me', code: '1' });
  await page.goto(`/a/${acorn.id}`);
  const del = page.getByTestId('delete');
  await del.click();
  const dialog = page.getByTestId('confirm-delete');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('confirm-delete-no')).toBeFocused();
  for (let n = 0; n < 4; n++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(del).toBeFocused();
  expect((await request.get(`/api/acorns/${acorn.id}`)).status()).toBe(200);
});

test('an invalid field takes focus and is marked invalid', async ({ page }) => {
  await page.goto('/new');
  const title = page.getByLabel('Title');
  await title.fill('   ');
  await page.getByTestId('save').click();
  await expect(title).toBeFocused();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('save-error')).toContainText('Give the acorn a title');

  await page.getByTestId('run-input').fill('{broken');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-input')).toBeFocused();
  await expect(page.getByTestId('run-input')).toHaveAttribute('aria-invalid', 'true');
});
