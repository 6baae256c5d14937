/**
 * Imports in the editor (issue 13, item 6): specifiers complete from `GET /api/modules` and the caller's acorns, the
 * type checker knows the bundled modules, an acorn runs with `zod`, an unknown import fails at its line, an error
 * inside an imported acorn points to that acorn, and the Modules reference lists what may be imported.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createAcornViaApi, editorText, expect, screenshot, setCode, test } from './fixtures.ts';

interface ModuleItem {
  name: string;
  version: string;
}

async function zodVersion(page: Page): Promise<string> {
  const response = await page.request.get('/api/modules');
  expect(response.ok()).toBe(true);
  const { items } = (await response.json()) as { items: ModuleItem[] };
  const zod = items.find((item) => item.name === 'zod');
  expect(zod).toBeTruthy();
  return zod!.version;
}

test('import specifiers complete: bundled modules with their versions, and my acorns as acorn:{id}', async ({
  page,
  request,
  identity,
}, testInfo) => {
  const helper = await createAcornViaApi(request, identity, {
    title: 'Greeting helper',
    code: "export default (name) => 'Hello, ' + name;",
  });
  const version = await zodVersion(page);
  await page.goto('/new');
  await setCode(page, '// imports\n');
  const editor = page.getByTestId('code-editor');
  await page.keyboard.press('ControlOrMeta+End');

  // Inside the quotes of `from '…'`, the modules are offered, filtered by what is typed.
  await page.keyboard.type("import { z } from 'zo");
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('zod');
  await expect(completions).toContainText(version);
  await page.keyboard.press('Enter');
  await expect.poll(() => editorText(page)).toBe("// imports\nimport { z } from 'zod");
  await page.keyboard.type("';");

  // A dynamic import of another acorn: `acorn:` offers mine, by title.
  await page.keyboard.press('Enter');
  await page.keyboard.type("const greet = await import('acorn:");
  await expect(completions).toContainText(`acorn:${helper.id}`);
  await expect(completions).toContainText('Greeting helper');
  await screenshot(page, testInfo, 'import-completion');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => editorText(page))
    .toBe(`// imports\nimport { z } from 'zod';\nconst greet = await import('acorn:${helper.id}`);

  // Outside a specifier, nothing is offered.
  await page.keyboard.type("');");
  await page.keyboard.press('Enter');
  await page.keyboard.type("const s = 'zo");
  await page.waitForTimeout(500);
  await expect(completions).toHaveCount(0);
  await expect(editor).toContainText("const s = 'zo");
});

test('a TypeScript acorn may import zod and acorns without a type error; an unknown module is one', async ({
  page,
  request,
  identity,
}) => {
  // The type checker loads a 4 MB worker.
  test.slow();
  const code = [
    "import { z } from 'zod';",
    "import utc from 'dayjs/plugin/utc';",
    "import helper from 'acorn:AbCdEfGhIjKlMnOp1234@2';",
    "import pad from 'left-pad';",
    'console.log(z, utc, helper, pad);',
  ].join('\n');
  const { id } = await createAcornViaApi(request, identity, { title: 'Typed imports', language: 'typescript', code });
  await page.goto(`/a/${id}`);
  const errors = page.getByTestId('code-editor').locator('.cm-lintRange-error');
  await expect(page.getByTestId('ts-status')).toContainText('TypeScript: 1 error.', { timeout: 30_000 });
  await expect(errors).toHaveCount(1);
  await expect(errors).toHaveText("'left-pad'");
});

test('an acorn that imports zod runs, and shows its result', async ({ page, identity }) => {
  void identity;
  await page.goto('/new');
  await setCode(
    page,
    [
      "import { z } from 'zod';",
      'const User = z.object({ name: z.string(), age: z.number().int() });',
      "const user = User.parse({ name: 'Ada', age: 36 });",
      'console.log(user.name);',
      "user.name + ' is ' + user.age;",
    ].join('\n'),
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok', { timeout: 20_000 });
  await expect(page.getByTestId('run-logs')).toContainText('Ada');
  await expect(page.getByTestId('run-value')).toContainText('Ada is 36');
});

test('an unknown import ends the run with the error on the import’s line', async ({ page }) => {
  await page.goto('/scratch');
  await setCode(page, "const a = 1;\nimport pad from 'left-pad';\npad('x', 3);");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('error', { timeout: 20_000 });
  const line = page.getByTestId('run-error-line');
  await expect(line).toHaveText(/^line 2(:\d+)?$/);
  await line.click();
  // The cursor is now on that line of the editor.
  await expect(page.getByTestId('code-editor').locator('.cm-activeLine')).toContainText("import pad from 'left-pad'");
  // The message names the specifier and where to find what may be imported.
  const error = page.getByTestId('run-error');
  await expect(error).toContainText('left-pad');
  await expect(error).toContainText('/api/modules');
});

test('an error thrown inside an imported acorn names that acorn and links to it, not to this code’s line', async ({
  page,
  request,
  identity,
}) => {
  const thrower = await createAcornViaApi(request, identity, {
    title: 'Throws',
    code: "// line 1\n// line 2\nexport default function fail() {\n  throw new Error('deep trouble');\n}\n",
  });
  await page.goto('/new');
  await setCode(page, `import fail from 'acorn:${thrower.id}';\nfail();`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('error', { timeout: 20_000 });
  await expect(page.getByTestId('run-error')).toContainText('deep trouble');
  await expect(page.getByTestId('run-error-source')).toHaveText(new RegExp(`^in acorn:${thrower.id}@1, line 4`));
  await expect(page.getByTestId('run-error-line')).toHaveCount(0);
  await page.getByTestId('run-error-source-link').click();
  // Leaving the unsaved new acorn asks first; its draft is kept.
  await page.getByTestId('leave-keep').click();
  await expect(page).toHaveURL(new RegExp(`/a/${thrower.id}$`));
  await expect(page.getByLabel('Title')).toHaveValue('Throws');
});

test('the Modules reference, from the editor and at /modules, lists zod with its version', async ({
  page,
}, testInfo) => {
  test.slow();
  const version = await zodVersion(page);
  await page.goto('/new');
  const open = page.getByTestId('modules-open');
  await open.click();
  const dialog = page.getByTestId('modules-dialog');
  await expect(dialog.getByRole('heading', { name: 'Modules you can import' })).toBeVisible();
  const zod = dialog.locator('[data-testid="module-row"][data-name="zod"]');
  await expect(zod.getByTestId('module-version')).toHaveText(version);
  await expect(dialog).toContainText('acorn:{id}@{version}');
  await expect(dialog).toContainText('Nothing is fetched at run time');
  await screenshot(page, testInfo, 'modules-dialog');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include('[data-testid="modules-dialog"]').analyze();
    expect(violations, `${scheme}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }
  // Escape closes it and gives focus back to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();

  await page.goto('/modules');
  await expect(page.getByRole('heading', { level: 1, name: 'Modules you can import' })).toBeVisible();
  await expect(page.locator('[data-testid="module-row"][data-name="zod"]').getByTestId('module-version')).toHaveText(
    version,
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
});
