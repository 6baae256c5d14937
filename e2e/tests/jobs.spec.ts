/**
 * Jobs (issue 15): the acorn page's Load test panel — start a load test and follow it live to the end (progress,
 * percentiles, histogram, results pages), start a long one, find it again after a reload and cancel it, the past
 * jobs; the 429 at the active-job limit; and axe on the panel.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { createAcornViaApi, expect, type Identity, screenshot, test } from './fixtures.ts';

/**
 * Takes `input.ms` milliseconds (none without input), so one acorn serves a quick job and a slow one. It waits on a
 * timer rather than spinning: each run holds its sandbox slot as long, without taking a core from the machine's
 * other tests.
 */
const slowAcorn = `const ms = input?.ms ?? 0;
if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
ms`;

async function openPanel(page: Page, acornId: string) {
  await page.goto(`/a/${acornId}`);
  const panel = page.getByTestId('load-test-panel');
  // The panel is a lazy chunk: on a busy machine it may take a while.
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('job-list')).toBeVisible();
  return panel;
}

async function startJobViaApi(request: APIRequestContext, identity: Identity, acornId: string) {
  const response = await request.post(`/api/acorns/${acornId}/jobs`, {
    headers: { Authorization: `Bearer ${identity.key}` },
    data: { kind: 'load', iterations: 5000, concurrency: 1, input: { ms: 5 } },
  });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

test('a load test from the acorn page: live to 100 %, percentiles, histogram, results pages; a long one cancelled; past jobs', async ({
  page,
  request,
  identity,
}, testInfo) => {
  test.setTimeout(240_000);
  const acorn = await createAcornViaApi(request, identity, { title: 'Takes its time', code: slowAcorn });
  const panel = await openPanel(page, acorn.id);
  await expect(panel.getByTestId('job-list-empty')).toBeVisible();

  // 200 iterations of the trivial path, 8 at a time.
  await panel.getByLabel('Iterations', { exact: true }).fill('200');
  await panel.getByLabel(/^Concurrency/).fill('8');
  await panel.getByTestId('job-start').click();
  const view = panel.getByTestId('job-view');
  const progress = view.getByRole('progressbar', { name: 'Iterations done' });
  await expect(progress).toHaveAttribute('aria-valuemax', '200');
  await expect(progress).toHaveAttribute('aria-valuenow', '200', { timeout: 90_000 });
  await expect(view.getByTestId('job-progress-text')).toContainText('100%');
  await expect(view.getByTestId('job-status')).toHaveText('succeeded');
  await expect(view).toHaveAttribute('data-ended', 'true');
  await expect(view.getByTestId('job-cancel')).toHaveCount(0);
  await expect(view.getByTestId('job-count-ok')).toHaveAttribute('data-count', '200');
  await expect(view.getByTestId('job-count-error')).toHaveAttribute('data-count', '0');

  // Percentiles and throughput, then the histogram.
  for (const cell of ['wall-p50', 'wall-p95', 'wall-p99', 'wall-max', 'cpu-p50', 'cpu-p95', 'cpu-p99']) {
    await expect(view.getByTestId(`job-${cell}`), cell).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
  }
  await expect(view.getByTestId('job-rate')).toHaveText(/^\d+(\.\d)? runs\/s$/);
  const chart = view.getByTestId('job-histogram-chart');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', /Wall time of 200 iterations/);
  expect(await chart.locator('rect.histogram-bar').count()).toBeGreaterThan(0);
  const counted = await chart
    .locator('rect.histogram-bar')
    .evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number(bar.getAttribute('data-count')), 0));
  expect(counted).toBe(200);

  // Results: 200 in pages of 50, by iteration.
  const rows = view.getByTestId('job-result-row');
  await expect(rows).toHaveCount(50);
  await expect(view.getByTestId('job-results-page')).toHaveText('Page 1 · iterations 0–49');
  await expect(rows.first()).toHaveAttribute('data-status', 'ok');
  await expect(view.getByTestId('job-results-previous')).toBeDisabled();
  for (const [page, range] of [
    [2, '50–99'],
    [3, '100–149'],
    [4, '150–199'],
  ] as const) {
    await view.getByTestId('job-results-next').click();
    await expect(view.getByTestId('job-results-page')).toHaveText(`Page ${page} · iterations ${range}`);
  }
  await expect(rows).toHaveCount(50);
  await expect(view.getByTestId('job-results-next')).toBeDisabled();
  await view.getByTestId('job-results-previous').click();
  await expect(view.getByTestId('job-results-page')).toHaveText('Page 3 · iterations 100–149');
  await screenshot(page, testInfo, 'load-test-finished');

  // A long one: 5,000 iterations of 5 ms each.
  await panel.getByLabel('Iterations', { exact: true }).fill('5000');
  await panel.getByLabel(/^Concurrency/).fill('2');
  await panel.getByLabel(/Input of every run/).fill('{"ms": 5}');
  await panel.getByTestId('job-start').click();
  await expect(view.getByRole('heading', { name: 'Load test · 5,000 iterations' })).toBeVisible();
  await expect(view.getByTestId('job-status')).toHaveText(/queued|running/);
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 })
    .toBeGreaterThan(0);

  // A reload finds the running job again and follows it.
  await page.reload();
  await expect(view).toBeVisible({ timeout: 30_000 });
  await expect(view.getByRole('heading', { name: 'Load test · 5,000 iterations' })).toBeVisible();
  await expect(view.getByTestId('job-status')).toHaveText('running');
  const before = Number(await progress.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(before);

  await view.getByTestId('job-cancel').click();
  await expect(view.getByTestId('job-status')).toHaveText('cancelled');
  await expect(view).toHaveAttribute('data-ended', 'true', { timeout: 30_000 });
  const stopped = Number(await progress.getAttribute('aria-valuenow'));
  expect(stopped).toBeGreaterThan(0);
  expect(stopped).toBeLessThan(5000);
  // The job's end is final: a second later the server has recorded no more.
  const jobId = await view.getAttribute('data-job-id');
  await page.waitForTimeout(1_000);
  const after = await request.get(`/api/jobs/${jobId}`, { headers: { Authorization: `Bearer ${identity.key}` } });
  expect(await after.json()).toMatchObject({ status: 'cancelled', done: stopped });

  // Past jobs, newest first: both; Show opens the first one again.
  const jobRows = panel.getByTestId('job-row');
  await expect(jobRows).toHaveCount(2);
  await expect(jobRows.nth(0)).toHaveAttribute('data-status', 'cancelled');
  await expect(jobRows.nth(1)).toHaveAttribute('data-status', 'succeeded');
  await expect(jobRows.nth(0).getByTestId('job-show')).toHaveAttribute('aria-current', 'true');
  await jobRows.nth(1).getByTestId('job-show').click();
  await expect(view.getByRole('heading', { name: 'Load test · 200 iterations' })).toBeVisible();
  await expect(view.getByTestId('job-status')).toHaveText('succeeded');
  await expect(progress).toHaveAttribute('aria-valuenow', '200');
  await expect(view.getByTestId('job-result-row')).toHaveCount(50);
  await screenshot(page, testInfo, 'past-jobs');
});

test('a batch runs one iteration per input, in order', async ({ page, request, identity }) => {
  test.setTimeout(120_000);
  const acorn = await createAcornViaApi(request, identity, { title: 'Double', code: 'input * 2' });
  const panel = await openPanel(page, acorn.id);
  await panel.getByRole('radio', { name: /^Batch/ }).check();
  await panel.getByLabel(/^Inputs/).fill('[1, 2, 3, 4, 5]');
  await expect(panel.getByText(/5 inputs:/)).toBeVisible();
  await panel.getByTestId('job-start').click();
  const view = panel.getByTestId('job-view');
  await expect(view.getByRole('heading', { name: 'Batch · 5 inputs' })).toBeVisible();
  await expect(view.getByTestId('job-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(view.getByTestId('job-result-row')).toHaveCount(5);
  const values = await view.locator('[data-testid="job-result-row"] .job-result-value').allTextContents();
  expect(values).toEqual(['2', '4', '6', '8', '10']);
});

test('at the active-job limit, starting another says so', async ({ page, request, identity }) => {
  test.setTimeout(120_000);
  const acorn = await createAcornViaApi(request, identity, { title: 'Busy', code: slowAcorn });
  const running = [
    await startJobViaApi(request, identity, acorn.id),
    await startJobViaApi(request, identity, acorn.id),
  ];
  try {
    const panel = await openPanel(page, acorn.id);
    await panel.getByLabel('Iterations', { exact: true }).fill('10');
    await panel.getByTestId('job-start').click();
    const error = panel.getByTestId('job-start-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('role', 'alert');
    await expect(error).toContainText('Not started: too many jobs queued or running');
    await expect(error).toContainText('at most 2 jobs');
  } finally {
    for (const id of running) {
      await request.delete(`/api/jobs/${id}`, { headers: { Authorization: `Bearer ${identity.key}` } });
    }
  }
});

test('no Load test panel without a key', async ({ page, request, identity }) => {
  const acorn = await createAcornViaApi(request, identity, { title: 'Public', code: '1' });
  await page.context().addInitScript(() => localStorage.removeItem('squirrelbin.identity'));
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('code-editor')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('load-test-panel')).toHaveCount(0);
});

test('axe finds nothing on the panel with a finished job, light and dark, desktop and phone', async ({
  page,
  request,
  identity,
}, testInfo) => {
  test.setTimeout(180_000);
  const acorn = await createAcornViaApi(request, identity, {
    title: 'Audited jobs',
    code: "if (input?.fail) throw new TypeError('bad input');\n42",
  });
  const created = await request.post(`/api/acorns/${acorn.id}/jobs`, {
    headers: { Authorization: `Bearer ${identity.key}` },
    data: { kind: 'batch', inputs: [{}, { fail: true }, {}] },
  });
  expect(created.status()).toBe(202);
  const panel = await openPanel(page, acorn.id);
  await panel.getByTestId('job-show').click();
  const view = panel.getByTestId('job-view');
  await expect(view.getByTestId('job-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(view.getByTestId('job-errors')).toContainText('TypeError');
  await expect(view.getByTestId('job-result-row')).toHaveCount(3);
  await view.getByText('The histogram as a table').click();
  // A field error too.
  await panel.getByLabel('Iterations', { exact: true }).fill('0');
  await panel.getByTestId('job-start').click();
  await expect(panel.getByTestId('job-iterations-error')).toBeVisible();

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).include('[data-testid="load-test-panel"]').analyze();
      const found = results.violations.map((violation) => ({
        rule: violation.id,
        targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')} — ${node.failureSummary ?? ''}`),
      }));
      expect(found, `${viewport.width}px ${scheme}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
    }
  }
  await panel.screenshot({ path: testInfo.outputPath('panel-phone-dark.png') });
});
