/** Item 12: the embed view (read-only, runnable) with its snippet, and the diff between any two versions. */
import { createAcornViaApi, editorText, expect, test, updateAcornViaApi } from './fixtures.ts';

test('public acorns offer an embed snippet; /embed/{id} is a read-only view that runs, inside an iframe too', async ({
  page,
  request,
  identity,
}) => {
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Embeddable',
    code: "console.log('from the embed');\n6 * 7",
  });
  await page.goto(`/a/${acorn.id}`);
  await page.getByTestId('embed-toggle').click();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  expect(snippet).toContain(`/embed/${acorn.id}`);
  expect(snippet).toMatch(/^<iframe /);

  // The snippet works as written, in someone else's page.
  await page.goto('/');
  await page.evaluate((html) => {
    document.body.innerHTML = html;
  }, snippet);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('embed-view')).toBeVisible();
  await expect(frame.getByRole('banner')).toHaveCount(0);
  await frame.getByTestId('run').click();
  await expect(frame.getByTestId('run-status')).toHaveText('ok');
  await expect(frame.getByTestId('run-logs')).toContainText('from the embed');

  // Read-only: typing does not change the code.
  await page.goto(`/embed/${acorn.id}`);
  await expect(page.getByRole('heading', { name: 'Embeddable' })).toBeVisible();
  await page.getByTestId('code-editor').click();
  await page.keyboard.type('zzz');
  expect(await editorText(page)).toBe("console.log('from the embed');\n6 * 7");
  await expect(page.getByRole('link', { name: /Open in SquirrelBin/ })).toHaveAttribute(
    'href',
    new RegExp(`/a/${acorn.id}$`),
  );
});

test('a private acorn has no share link or embed snippet', async ({ page, request, identity }) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Hidden', code: '1', visibility: 'private' });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 1');
  await expect(page.getByTestId('copy-link')).toHaveCount(0);
  await expect(page.getByTestId('embed-toggle')).toHaveCount(0);
});

test('the history compares any two versions as a highlighted diff', async ({ page, request, identity }) => {
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Evolving',
    code: 'const a = 1;\nconst b = 2;\na + b',
  });
  await updateAcornViaApi(request, identity, acorn.id, 1, { code: 'const a = 1;\nconst b = 40;\na + b' });
  await updateAcornViaApi(request, identity, acorn.id, 2, {
    code: 'const a = 1;\nconst b = 40;\nconst c = 1;\na + b + c',
  });
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('revision-item')).toHaveCount(2);
  await page.getByTestId('compare-show').click();
  const diff = page.getByTestId('version-diff');
  // Default: the newest earlier version against the current one.
  await expect(diff).toContainText('version 2 → version 3 (current)');
  await expect(diff.locator('tr[data-kind="added"]')).toHaveCount(2);
  await expect(diff.locator('tr[data-kind="removed"]')).toHaveCount(1);
  await expect(diff.locator('tr[data-kind="added"]').first()).toContainText('const c = 1;');
  // Syntax highlighting: keywords and numbers carry token classes.
  await expect(diff.locator('tr[data-kind="added"] .tok-keyword').first()).toHaveText('const');

  await page.getByTestId('compare-from').selectOption('1');
  await page.getByTestId('compare-to').selectOption('2');
  await expect(diff).toContainText('version 1 → version 2');
  await expect(diff.locator('tr[data-kind="removed"]')).toContainText('const b = 2;');
  await expect(diff.locator('tr[data-kind="added"]')).toContainText('const b = 40;');
});
