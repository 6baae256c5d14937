import { createIdentity, expect, setCode, test, useIdentity } from './fixtures.ts';

test('a private acorn is 404 for another identity and not listed', async ({ page, browser, request }) => {
  await page.goto('/new');
  const title = `Secret ${Date.now()}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Visibility').selectOption('private');
  await setCode(page, "'only mine'");
  await page.getByTestId('save').click();
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  const path = new URL(page.url()).pathname;

  // The owner still sees it after a reload, and in their own list.
  await page.reload();
  await expect(page.getByTestId('code-editor')).toContainText('only mine');
  await page.goto('/mine');
  await expect(page.getByTestId('acorn-list')).toContainText(title);

  const strangerContext = await browser.newContext();
  await useIdentity(strangerContext, await createIdentity(request));
  const stranger = await strangerContext.newPage();
  await stranger.goto(path);
  await expect(stranger.getByTestId('acorn-not-found')).toBeVisible();
  await stranger.goto(`/?q=${encodeURIComponent(title)}`);
  await expect(stranger.getByText(/No public acorns match/)).toBeVisible();
  await strangerContext.close();
});
