/** Item 7: the first save offers to back up the new key; forks are named and linked as forks. */
import { readFileSync } from 'node:fs';
import { createAcornViaApi, createIdentity, expect, setCode, test } from './fixtures.ts';

test('after the first save, the new key is offered for backup; Settings shows it and its state', async ({ page }) => {
  await page.goto('/new');
  await setCode(page, "'first ever save'");
  await expect(page.getByTestId('key-backup')).toHaveCount(0);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  const notice = page.getByTestId('key-backup');
  await expect(notice).toBeVisible();
  const key = JSON.parse((await page.evaluate(() => localStorage.getItem('squirrelbin.identity')))!).key as string;

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('backup-status')).toContainText('not backed up yet');
  await expect(page.getByTestId('identity-facts')).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByTestId('backup-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('squirrelbin-key.txt');
  expect(readFileSync((await download.path())!, 'utf8')).toContain(key);
  await expect(notice).toBeHidden();
  await expect(page.getByTestId('backup-status')).toContainText('Keep a copy');
  await page.reload();
  await expect(page.getByTestId('key-backup')).toHaveCount(0);
});

test('a fork is titled “(fork)”, links to its source, and lists show it as a fork', async ({
  page,
  request,
  identity,
}) => {
  void identity;
  const owner = await createIdentity(request);
  const title = `Original ${Date.now()}`;
  const source = await createAcornViaApi(request, owner, { title, code: "'source'" });
  await page.goto(`/a/${source.id}`);
  await page.getByTestId('fork').click();
  await expect(page).not.toHaveURL(new RegExp(source.id));
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (fork)`);
  const from = page.getByTestId('forked-from');
  await expect(from).toContainText(`Forked from “${title}”`);

  await page.getByTestId('nav-mine').click();
  const card = page.getByTestId('acorn-card').filter({ hasText: `${title} (fork)` });
  await expect(card.getByTestId('card-forked-from')).toBeVisible();
  await card.getByTestId('card-forked-from').click();
  await expect(page).toHaveURL(new RegExp(`/a/${source.id}$`));

  // Renamed before forking: the new name is kept, without the suffix.
  await page.getByLabel('Title').fill('My own name');
  await page.getByTestId('fork').click();
  await expect(page).not.toHaveURL(new RegExp(source.id));
  await expect(page.getByLabel('Title')).toHaveValue('My own name');
});
