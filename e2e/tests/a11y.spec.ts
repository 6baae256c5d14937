/**
 * Item 11: axe-core finds no violations (every rule it runs by default, best practices included) on any page,
 * in light and dark, on a desktop and on a phone. Each page is audited in both color schemes where it stands.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import {
  createAcornViaApi,
  createAdminKey,
  createIdentity,
  expect,
  importKey,
  test,
  updateAcornViaApi,
  useIdentity,
} from './fixtures.ts';

interface Violation {
  page: string;
  scheme: string;
  rule: string;
  targets: string[];
}

/** Audits the page as it is, in light and then in dark; returns what axe found. */
async function audit(page: Page, name: string): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    for (const violation of results.violations) {
      found.push({
        page: name,
        scheme,
        rule: violation.id,
        targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')} — ${node.failureSummary ?? ''}`),
      });
    }
  }
  return found;
}

const noViolations = (found: Violation[]) => expect(found, JSON.stringify(found, null, 2)).toEqual([]);

for (const device of ['desktop', 'phone'] as const) {
  test.describe(`axe on a ${device}`, () => {
    if (device === 'phone') test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    // Each page is audited twice; on a busy 2-core machine one audit can take several seconds.
    test.describe.configure({ timeout: 180_000 });

    test(`lists and settings (${device})`, async ({ page, request, identity }) => {
      await createAcornViaApi(request, identity, { title: 'Listed', description: 'For the audit', code: '1' });
      await page.goto('/');
      await expect(page.getByTestId('acorn-list')).toBeVisible();
      const found = await audit(page, 'explore');
      await page.goto('/mine');
      await expect(page.getByTestId('acorn-list')).toBeVisible();
      found.push(...(await audit(page, 'mine')));
      await page.goto('/settings');
      await expect(page.getByTestId('identity-facts')).toBeVisible();
      found.push(...(await audit(page, 'settings')));
      noViolations(found);
    });

    test(`an acorn, its output, history, diff and dialog (${device})`, async ({ page, request, identity }) => {
      const acorn = await createAcornViaApi(request, identity, {
        title: 'Audited acorn',
        code: "// a comment on the first line\nconsole.log('hi');\nconsole.warn('careful');\nconsole.error('bad');\n42",
      });
      await updateAcornViaApi(request, identity, acorn.id, 1, { code: "// changed\nconsole.info('v2');\n43" });
      await page.goto(`/a/${acorn.id}`);
      await expect(page.getByTestId('save-status')).toHaveText('Saved · version 2');
      await page.getByTestId('run').click();
      await expect(page.getByTestId('run-status')).toHaveText('ok');
      if (device === 'phone') await page.getByTestId('pane-tab-code').click();
      // The active line holds a comment, for the contrast check on it.
      await page.getByTestId('code-editor').click();
      await page.keyboard.press('ControlOrMeta+Home');
      await page.getByTestId('compare-show').click();
      await expect(page.getByTestId('version-diff')).toBeVisible();
      await page.getByTestId('embed-toggle').click();
      const found = await audit(page, 'acorn (owner)');
      if (device === 'phone') {
        await page.getByTestId('pane-tab-output').click();
        found.push(...(await audit(page, 'acorn (output tab)')));
      }
      await page.getByTestId('delete').click();
      await expect(page.getByTestId('confirm-delete')).toBeVisible();
      found.push(...(await audit(page, 'delete dialog')));
      noViolations(found);
    });

    test(`someone else’s acorn, a new acorn with errors, the scratch (${device})`, async ({ page, request }) => {
      const stranger = await createIdentity(request);
      const theirs = await createAcornViaApi(request, stranger, { title: 'Someone else’s', code: "'theirs'" });
      await useIdentity(page.context(), await createIdentity(request));
      await page.goto(`/a/${theirs.id}`);
      await expect(page.getByTestId('save')).toContainText('Save as my fork');
      const found = await audit(page, 'acorn (visitor)');
      await page.goto('/new');
      await page.getByLabel('Title').fill('');
      await page.getByTestId('save').click();
      await expect(page.getByTestId('save-error')).toBeVisible();
      found.push(...(await audit(page, 'new acorn (with errors)')));
      await page.goto('/scratch');
      await page.getByTestId('run').click();
      await expect(page.getByTestId('run-status')).toHaveText('ok');
      found.push(...(await audit(page, 'scratch')));
      noViolations(found);
    });

    test(`embed, not found, admin without a key (${device})`, async ({ page, request, identity }) => {
      const acorn = await createAcornViaApi(request, identity, { title: 'Embedded', code: "console.log('e');\n1" });
      await page.goto(`/embed/${acorn.id}`);
      await page.getByTestId('run').click();
      await expect(page.getByTestId('run-status')).toHaveText('ok');
      const found = await audit(page, 'embed');
      await page.goto('/no/such/page');
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      found.push(...(await audit(page, 'not found')));
      await page.goto('/admin');
      await expect(page.getByTestId('admin-required')).toBeVisible();
      found.push(...(await audit(page, 'admin (not an admin)')));
      noViolations(found);
    });

    test(`the admin dashboard (${device})`, async ({ page, request }) => {
      await request.post('/api/run', { data: { language: 'javascript', code: '1' } });
      await importKey(page, createAdminKey());
      await page.goto('/admin');
      await expect(async () => {
        await page.getByRole('button', { name: 'Refresh now' }).click();
        await expect(page.getByRole('button', { name: 'Charts for run.code' })).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Charts for run.code' }).click();
      await expect(page.getByTestId('chart-outcomes').locator('canvas')).toBeVisible();
      noViolations(await audit(page, 'admin'));
    });
  });
}
