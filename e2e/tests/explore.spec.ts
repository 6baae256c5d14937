import { createAcornViaApi, createIdentity, expect, screenshot, test } from './fixtures.ts';

test('explore lists public acorns newest first, searches, and loads more', async ({ page, request }, testInfo) => {
  const author = await createIdentity(request);
  const tag = `tag${Date.now().toString(36)}`;
  for (let n = 1; n <= 22; n++) {
    await createAcornViaApi(request, author, {
      title: `Explore ${n}`,
      description: `${tag} number ${n}`,
      code: `${n}`,
    });
  }
  await createAcornViaApi(request, author, {
    title: 'Hidden unlisted',
    description: tag,
    code: '0',
    visibility: 'unlisted',
  });

  await page.goto('/');
  await expect(page.getByTestId('acorn-list')).toBeVisible();
  await screenshot(page, testInfo, 'explore');

  await page.getByLabel('Search acorns').fill(tag);
  await expect(page).toHaveURL(new RegExp(`\\?q=${tag}`));
  const cards = page.getByTestId('acorn-card');
  await expect(cards).toHaveCount(20);
  await expect(cards.first()).toContainText('Explore 22');
  await page.getByTestId('load-more').click();
  await expect(cards).toHaveCount(22);
  await expect(cards.last()).toContainText('Explore 1');
  await expect(page.getByTestId('acorn-list')).not.toContainText('Hidden unlisted');

  await page.getByLabel('Search acorns').fill(`${tag}-nothing-matches`);
  await expect(page.getByText(/No public acorns match/)).toBeVisible();
});
