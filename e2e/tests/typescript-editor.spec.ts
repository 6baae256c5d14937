/**
 * The editor as a TypeScript user finds it (issue 10, item 5): type errors inline where they are, hovers with
 * types, completion, Tab that indents without trapping the keyboard, Ctrl/Cmd+F search, and the type checker
 * loaded only for TypeScript.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createAcornViaApi, editorText, expect, test } from './fixtures.ts';

/** axe-core finds nothing on the page as it is, in light and in dark (as a11y.spec.ts audits every page). */
async function expectNoAxeViolations(page: Page): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations.map(
        (violation) => `${scheme}: ${violation.id} ${violation.nodes.map((node) => node.target).join(', ')}`,
      ),
    ).toEqual([]);
  }
}

/** Moves the mouse over the middle of the first occurrence of `word` in the editor's text. */
async function hoverWord(page: Page, word: string): Promise<void> {
  const point = await page.getByTestId('code-editor').evaluate((content, word) => {
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    throw new Error(`${word} is not in the editor`);
  }, word);
  await page.mouse.move(point.x, point.y);
}

const tsCode = 'const x: number = "s";\nconsole.log(x);';

test('a TypeScript acorn shows its type error in place, with hovers and completion', async ({
  page,
  request,
  identity,
}) => {
  // The type checker (a 4 MB worker) loads and checks its first file: slow on a loaded 2-core machine.
  test.slow();
  const { id } = await createAcornViaApi(request, identity, {
    title: 'Typed',
    language: 'typescript',
    code: tsCode,
  });
  await page.goto(`/a/${id}`);
  const editor = page.getByTestId('code-editor');
  await expect(editor).toContainText('const x: number');

  // The diagnostic underlines `x` on line 1 (TypeScript reports the declared name), and only that.
  const underline = editor.locator('.cm-lintRange-error');
  await expect(underline).toHaveCount(1, { timeout: 30_000 });
  await expect(underline).toHaveText('x');
  const firstLine = editor.locator('.cm-line').first();
  await expect(firstLine.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.getByTestId('ts-status')).toContainText('TypeScript: 1 error.');
  await expect(page.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(1);
  // "Show problems" lists them in CodeMirror's problems panel.
  await page.getByTestId('ts-status').getByRole('button', { name: 'Show problems' }).click();
  await expect(page.locator('.cm-panel-lint')).toContainText("Type 'string' is not assignable to type 'number'.");
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');

  // Hovering it shows the error and the type.
  await underline.hover();
  const tooltip = page.locator('.cm-tooltip-hover');
  await expect(tooltip.locator('.cm-diagnostic-error')).toContainText(
    "Type 'string' is not assignable to type 'number'.",
  );
  await expect(tooltip.locator('.ts-quickinfo')).toHaveText('const x: number');

  // Hovering a global from the acorn's own typings.
  await page.mouse.move(0, 0);
  await hoverWord(page, 'console');
  await expect(page.locator('.cm-tooltip-hover .ts-quickinfo')).toContainText('var console: Console');

  // Completion from the language service: members of a number.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('x.toFi');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('toFixed');
  await page.keyboard.press('Enter');
  await expect.poll(() => editorText(page)).toBe(`${tsCode}\nx.toFixed`);

  // Fixing the error clears it (after the pause that debounces checking).
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('End');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('1;');
  await expect(editor.locator('.cm-lintRange-error')).toHaveCount(0);
  await expect(page.getByTestId('ts-status')).toContainText('no type errors');
});

test('Tab indents, Escape then Tab leaves the editor, Ctrl/Cmd+F searches', async ({ page, request, identity }) => {
  test.slow();
  const { id } = await createAcornViaApi(request, identity, { title: 'Keys', language: 'typescript', code: tsCode });
  await page.goto(`/a/${id}`);
  const editor = page.getByTestId('code-editor');
  await expect(editor).toContainText('console.log(x);');

  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  await expect.poll(() => editorText(page)).toBe('const x: number = "s";\n  console.log(x);');
  await expect(editor).toBeFocused();

  // Escape, then Tab: focus moves on and nothing is indented.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  expect(await editorText(page)).toBe('const x: number = "s";\n  console.log(x);');
  // Back in the editor, Tab indents again.
  await page.keyboard.press('Shift+Tab');
  await expect(editor).toBeFocused();
  await page.keyboard.press('Tab');
  await expect.poll(() => editorText(page)).toBe('const x: number = "s";\n    console.log(x);');
  // The editor tells assistive technology how to leave it.
  const described = await editor.getAttribute('aria-describedby');
  const hint = await page.evaluate(
    (ids) =>
      ids
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    described ?? '',
  );
  expect(hint).toContain('press Escape, then Tab');

  // Ctrl/Cmd+F opens search in the editor, with its field focused; Escape closes it and returns to the code.
  await page.keyboard.press('ControlOrMeta+f');
  const panel = page.locator('.cm-search');
  await expect(panel).toBeVisible();
  const field = panel.locator('input[name=search]');
  await expect(field).toBeFocused();
  await field.fill('console');
  await page.keyboard.press('Enter');
  await expect(editor.locator('.cm-searchMatch')).toHaveCount(1);
  // The search panel, the underlined error and the status line pass axe in both themes.
  await expect(page.getByTestId('ts-status')).toContainText('1 error');
  await expectNoAxeViolations(page);
  await field.focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(editor).toBeFocused();
});

test('a JavaScript acorn loads no type checker and shows no type errors', async ({ page, request, identity }) => {
  const loaded: string[] = [];
  page.on('request', (sent) => loaded.push(new URL(sent.url()).pathname));
  const { id } = await createAcornViaApi(request, identity, {
    title: 'Plain',
    language: 'javascript',
    code: 'const x = "s";\nx.nope();',
  });
  await page.goto(`/a/${id}`);
  const editor = page.getByTestId('code-editor');
  await expect(editor).toContainText('x.nope();');
  await page.waitForLoadState('networkidle');
  // Search still works (it loads after the code shows).
  await editor.click();
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+f');
  await expect(page.locator('.cm-search')).toBeVisible();
  expect(loaded.filter((path) => /typescript|editor-tooling/.test(path))).toEqual([]);
  await expect(page.getByTestId('ts-status')).toHaveCount(0);
  await expect(editor.locator('.cm-lintRange')).toHaveCount(0);

  // Explore, the first page, loads none of it either.
  loaded.length = 0;
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(loaded.filter((path) => /typescript|editor-tooling/.test(path))).toEqual([]);
});
