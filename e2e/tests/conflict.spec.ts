import { createAcornViaApi, editorText, expect, screenshot, setCode, test, useIdentity } from './fixtures.ts';

test('two tabs edit the same acorn: the later save shows both versions and keeps what was typed', async ({
  page,
  browser,
  request,
  identity,
}, testInfo) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Contested', code: "'v1'" });
  const otherContext = await browser.newContext();
  await useIdentity(otherContext, identity);
  const other = await otherContext.newPage();

  await page.goto(`/a/${acorn.id}`);
  await other.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await expect(other.getByTestId('save-status')).toHaveText('Saved · version 1');

  await setCode(other, "'saved first, in the other tab'");
  await other.getByTestId('save').click();
  await expect(other.getByTestId('save-status')).toHaveText('Saved · version 2');

  await setCode(page, "'typed here, saved second'");
  await page.getByTestId('save').click();
  const conflict = page.getByTestId('conflict-panel');
  await expect(conflict).toBeVisible();
  await expect(page.getByTestId('conflict-mine')).toContainText('typed here, saved second');
  await expect(page.getByTestId('conflict-theirs')).toContainText('saved first, in the other tab');
  await expect(page.getByTestId('save-status')).toHaveText('Conflict — not saved');
  expect(await editorText(page)).toContain('typed here, saved second');
  await screenshot(page, testInfo, 'conflict');

  await page.getByTestId('conflict-overwrite').click();
  await expect(conflict).toBeHidden();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 3');

  await other.reload();
  await expect(other.getByTestId('code-editor')).toContainText('typed here, saved second');

  // The other tab is now behind: it takes the stored version instead.
  await page.reload();
  await setCode(other, "'stale edit'");
  await setCode(page, "'newest'");
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 4');
  await other.getByTestId('save').click();
  await expect(other.getByTestId('conflict-panel')).toBeVisible();
  await other.getByTestId('conflict-take-theirs').click();
  await expect(other.getByTestId('save-status')).toHaveText('Saved · version 4');
  await expect(other.getByTestId('code-editor')).toContainText("'newest'");
  await otherContext.close();
});
