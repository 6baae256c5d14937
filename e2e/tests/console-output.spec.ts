/**
 * The console as the output shows it (issue 10, item 4): logged objects open as trees deeper than their text,
 * console.table is a real table, console.group indents, a logged error shows its message and stack.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, setCode, test } from './fixtures.ts';

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

const code = `const squirrel = { name: 'Squirrel', home: { tree: 'oak', branch: { level: 3, nuts: [1, 2, 3] } } };
console.log('squirrel', squirrel);
console.table([{ name: 'ada', nuts: 3 }, { name: 'bob', nuts: 5 }]);
console.group('outer');
console.log('inside');
console.groupEnd();
console.error(new Error('boom'));
'done'`;

test('logged objects expand, tables are tables, groups indent, errors keep their stack', async ({ page }) => {
  await page.goto('/scratch');
  await setCode(page, code);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  const logs = page.getByTestId('run-logs');
  const lines = logs.locator('li.log');

  // The object: its text stops at depth 2, as Node's does; the tree goes further.
  const objectLine = lines.filter({ hasText: 'squirrel' }).first();
  await expect(objectLine.locator('.log-message')).toContainText('nuts: [Array]');
  const expand = objectLine.getByRole('button', { name: 'Inspect the logged object' });
  await expect(expand).toHaveAttribute('aria-expanded', 'false');
  // By keyboard: focus the toggle, open it with Enter, then the nested nodes with Enter / the arrow keys.
  await expand.focus();
  await page.keyboard.press('Enter');
  await expect(expand).toHaveAttribute('aria-expanded', 'true');
  const tree = objectLine.getByTestId('log-values');
  await expect(tree).toContainText("name: 'Squirrel'");
  const home = tree.getByRole('button', { name: /^home\b/ });
  await expect(home).toHaveAttribute('aria-expanded', 'false');
  await home.focus();
  await page.keyboard.press('ArrowRight');
  await expect(home).toHaveAttribute('aria-expanded', 'true');
  const branch = tree.getByRole('button', { name: /^branch\b/ });
  await branch.click();
  const nuts = tree.getByRole('button', { name: /^nuts\b/ });
  await expect(nuts).toContainText('Array(3) [1, 2, 3]');
  await nuts.click();
  await expect(tree).toContainText('2: 3');
  // Closing a node hides what is under it.
  await home.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tree).not.toContainText('2: 3');

  // console.table: a table with column and row headers.
  const table = logs.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['(index)', 'name', 'nuts']);
  await expect(table.getByRole('rowheader')).toHaveText(['0', '1']);
  await expect(table.getByRole('cell')).toHaveText(["'ada'", '3', "'bob'", '5']);

  // console.group: the line inside is indented one level, the group's label is not.
  await expect(lines.filter({ hasText: 'outer' })).not.toHaveAttribute('data-depth');
  const inside = lines.filter({ hasText: 'inside' });
  await expect(inside).toHaveAttribute('data-depth', '1');
  const indent = await inside.locator('.log-body').evaluate((body) => getComputedStyle(body).paddingInlineStart);
  expect(Number.parseFloat(indent)).toBeGreaterThan(0);

  // A logged error: its message, and its stack set apart.
  const error = lines.filter({ hasText: 'Error: boom' });
  await expect(error).toHaveAttribute('data-level', 'error');
  await expect(error.getByTestId('log-stack')).toContainText('at ');
  await expect(page.getByTestId('run-value')).toContainText('done');

  // The open trees, the table and the grouped lines pass axe in both themes.
  await home.focus();
  await page.keyboard.press('ArrowRight');
  await expectNoAxeViolations(page);
});
