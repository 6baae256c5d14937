/** Item 1: unsaved edits survive in-app navigation, Back, and reloads; leaving asks first. */
import { createAcornViaApi, editorText, expect, setCode, test } from './fixtures.ts';

test('leaving an edited acorn asks first; a kept draft is restored with a notice, and can be discarded', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Drafted', code: "'saved text'" });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await setCode(page, "'typed, never saved'");
  await expect(page.getByTestId('save-status')).toHaveText('Unsaved changes');

  // A nav link asks; the safe choice is first and keeps everything as it was.
  await page.getByTestId('nav-mine').click();
  await expect(page.getByTestId('leave-dialog')).toBeVisible();
  await expect(page.getByTestId('leave-stay')).toBeFocused();
  await page.getByTestId('leave-stay').click();
  await expect(page.getByTestId('leave-dialog')).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  expect(await editorText(page)).toBe("'typed, never saved'");

  // Leaving keeps the draft in this browser; coming back restores it and says so.
  await page.getByTestId('nav-mine').click();
  await page.getByTestId('leave-keep').click();
  await expect(page.getByRole('heading', { level: 1, name: 'My acorns' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  await expect(page.getByTestId('draft-restored')).toContainText('Unsaved draft restored');
  expect(await editorText(page)).toBe("'typed, never saved'");
  await expect(page.getByTestId('save-status')).toHaveText('Unsaved changes');

  // A reload restores it too.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  expect(await editorText(page)).toBe("'typed, never saved'");

  // Discarding goes back to the saved version, and nothing is kept.
  await page.getByTestId('discard-draft').click();
  await expect(page.getByTestId('draft-restored')).toBeHidden();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  expect(await editorText(page)).toBe("'saved text'");
  expect(await page.evaluate((id) => localStorage.getItem(`squirrelbin.draft.${id}`), acorn.id)).toBeNull();
  await page.getByTestId('nav-mine').click();
  await expect(page).toHaveURL(/\/mine$/);
  await expect(page.getByTestId('leave-dialog')).toHaveCount(0);
});

test('Back with unsaved changes asks, stays put on "stay", and leaves on "discard"', async ({
  page,
  request,
  identity,
}) => {
  const title = `Back guard ${Date.now()}`;
  const acorn = await createAcornViaApi(request, identity, { title, code: "'v1'" });
  await page.goto('/mine');
  await page.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  await setCode(page, "'edited before Back'");

  await page.evaluate(() => history.back());
  await expect(page.getByTestId('leave-dialog')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('leave-dialog')).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/a/${acorn.id}$`));
  expect(await editorText(page)).toBe("'edited before Back'");

  await page.evaluate(() => history.back());
  await page.getByTestId('leave-discard').click();
  await expect(page).toHaveURL(/\/mine$/);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('code-editor')).toContainText("'v1'");
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});

test('a new acorn and the scratch are kept as drafts until saved or discarded', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/new');
  await page.getByLabel('Title').fill('Never saved yet');
  await setCode(page, "'brand new draft'");
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('leave-keep').click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByTestId('nav-new').click();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue('Never saved yet');
  expect(await editorText(page)).toBe("'brand new draft'");
  // Saving ends the draft: a later /new starts fresh.
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await page.getByTestId('nav-new').click();
  await expect(page.getByLabel('Title')).toHaveValue('Untitled acorn');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  await page.goto('/scratch');
  await setCode(page, "'scratch work'");
  await page.getByTestId('nav-settings').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('draft-restored')).toContainText('Unsaved scratch restored');
  expect(await editorText(page)).toBe("'scratch work'");
  await page.getByTestId('discard-draft').click();
  await expect(page.getByTestId('code-editor')).toContainText('Logs show in the output panel');
  await page.reload();
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});
