import { createAcornViaApi, createIdentity, editorText, expect, screenshot, setCode, test } from './fixtures.ts';

test('create, run, edit, save, and a reload shows the edit', async ({ page }, testInfo) => {
  await page.goto('/new');
  await page.getByLabel('Title').fill('Lifecycle acorn');
  await setCode(page, "console.log('hello from e2e');\nconsole.warn('careful');\n6 * 7");
  await page.getByTestId('save').click();
  // The first save made an identity and the acorn.
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  expect(await page.evaluate(() => localStorage.getItem('squirrelbin.identity'))).toContain('sqb_');

  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.getByTestId('run-logs')).toContainText('hello from e2e');
  await expect(page.locator('.log[data-level="warn"]')).toContainText('careful');
  await expect(page.getByTestId('run-value')).toContainText('42');
  await expect(page.getByTestId('run-timings')).toContainText('wall');
  await screenshot(page, testInfo, 'editor');

  await setCode(page, "console.log('edited');\n'second version'");
  await expect(page.getByTestId('save-status')).toHaveText('Unsaved changes');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 2');

  await page.reload();
  await expect(page.getByTestId('code-editor')).toContainText("console.log('edited');");
  expect(await editorText(page)).not.toContain('hello from e2e');
  // The first version is in the history, and can be viewed.
  await expect(page.getByTestId('revision-item')).toHaveCount(1);
  await page.getByRole('button', { name: 'View version 1' }).click();
  await expect(page.getByTestId('revision-view')).toContainText('hello from e2e');
  // Restoring asks first, then saves its fields as a new version.
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(page.getByTestId('restore-dialog')).toBeVisible();
  await expect(page.getByTestId('restore-cancel')).toBeFocused();
  await page.getByTestId('restore-confirm').click();
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 3');
  await expect(page.getByTestId('code-editor')).toContainText('hello from e2e');
  await expect(page.getByTestId('revision-item')).toHaveCount(2);

  // The theme follows the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
  await screenshot(page, testInfo, 'editor-dark');
});

test('keyboard: Ctrl+Enter runs and Ctrl+S saves, from inside the editor', async ({ page }) => {
  await page.goto('/new');
  await setCode(page, "console.info('via keyboard');\n'done'");
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.locator('.log[data-level="info"]')).toContainText('via keyboard');
  // The shortcut did not insert a line into the code.
  expect((await editorText(page)).split('\n').filter((line) => line.trim() === '')).toHaveLength(0);

  await page.keyboard.press('Control+s');
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await page.getByLabel('Title').fill('Renamed by keyboard');
  await page.getByLabel('Title').press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 2');
});

test('a run error names its line, and picking it moves the cursor there', async ({ page }) => {
  await page.goto('/scratch');
  await setCode(page, "const a = 1;\nconst b = 2;\nthrow new Error('boom on three');");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('error');
  await expect(page.getByTestId('run-error')).toContainText('boom on three');
  await page.getByTestId('run-error-line').click();
  await expect(page.locator('.cm-activeLine')).toContainText('boom on three');
});

test('fork copies an acorn, with what was typed, into your own', async ({ page, request, identity }) => {
  const owner = await createIdentity(request);
  const source = await createAcornViaApi(request, owner, { title: 'Fork me', code: "'original'" });
  void identity;
  await page.goto(`/a/${source.id}`);
  await expect(page.getByTestId('save')).toContainText('Save as my fork');
  await expect(page.getByTestId('delete')).toHaveCount(0);
  await setCode(page, "'changed before forking'");
  await page.getByTestId('fork').click();
  await expect(page).not.toHaveURL(new RegExp(source.id));
  await expect(page).toHaveURL(/\/a\/[A-Za-z0-9_-]{16,}$/);
  const forkId = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('code-editor')).toContainText('changed before forking');
  await expect(page.getByTestId('save')).toContainText(/^Save/);
  await expect(page.getByTestId('delete')).toBeVisible();

  const fork = await (await request.get(`/api/acorns/${forkId}`)).json();
  expect(fork.forkOf).toBe(source.id);
  expect(fork.code).toBe("'changed before forking'");
  const original = await (await request.get(`/api/acorns/${source.id}`)).json();
  expect(original.code).toBe("'original'");
});

test('the owner deletes an acorn after confirming', async ({ page, request, identity }) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Delete me', code: '1' });
  await page.goto(`/a/${acorn.id}`);
  await page.getByTestId('delete').click();
  await expect(page.getByTestId('confirm-delete')).toBeVisible();
  await page.getByTestId('confirm-delete-yes').click();
  await expect(page).toHaveURL(/\/mine$/);
  expect((await request.get(`/api/acorns/${acorn.id}`)).status()).toBe(404);
});

test('keyboard only: Escape then Tab moves on from the editor instead of getting stuck in it', async ({ page }) => {
  await page.goto('/scratch');
  await page.getByTestId('code-editor').focus();
  // Tab indents inside the editor; Escape first lets the next Tab leave it.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('run-input')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('code-editor')).toBeFocused();
});
