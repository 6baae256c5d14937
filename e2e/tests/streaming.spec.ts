/** Streamed runs: logs show as they happen, Stop (or Esc) ends a run and keeps what it logged. */
import type { Page } from '@playwright/test';
import { createAcornViaApi, expect, setCode, test } from './fixtures.ts';

/**
 * The UI has no deadline setting and the default is short (1 s): give this page's runs the 10 s a key may ask for,
 * so a run outlives the moments the test looks at it. The answer itself is not touched (it still streams).
 */
async function longDeadline(page: Page) {
  await page.route(/\/api\/(run|acorns\/[^/]+\/run)$/, (route) =>
    route.continue({
      postData: JSON.stringify({ ...route.request().postDataJSON(), limits: { timeoutMs: 10_000 } }),
    }),
  );
}

/** Four seconds between its lines: time enough, on a loaded CI machine, to see the first while the run goes on. */
const slow = "console.log('first');\nawait new Promise((r) => setTimeout(r, 4000));\nconsole.log('second');\n'done'";

/** The first line shows while the run still runs; then the result replaces the live view. */
async function expectStreamed(page: Page) {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('live-logs')).toContainText('first');
  await expect(page.getByTestId('run-status')).toHaveText('running…');
  await expect(page.getByTestId('run-stop')).toBeVisible();
  await expect(page.getByTestId('live-logs')).not.toContainText('second');
  const elapsed = page.getByTestId('run-elapsed');
  const shown = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(shown!);

  await expect(page.getByTestId('run-status')).toHaveText('ok', { timeout: 15_000 });
  await expect(page.getByTestId('run-logs')).toContainText('first');
  await expect(page.getByTestId('run-logs')).toContainText('second');
  await expect(page.getByTestId('run-value')).toContainText('done');
  await expect(page.getByTestId('run-stop')).toHaveCount(0);
  await expect(page.getByTestId('live-logs')).toHaveCount(0);
}

/** Stops the run in flight (by the button or by Esc) and checks it stopped at once, keeping its lines. */
async function expectStopped(page: Page, line: string, how: 'button' | 'escape') {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('live-logs')).toContainText(line);
  const asked = Date.now();
  if (how === 'button') await page.getByTestId('run-stop').click();
  else await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  // At once: well before the 10 s deadline (the bound leaves room for a loaded CI machine).
  expect(Date.now() - asked).toBeLessThan(5_000);
  await expect(page.getByTestId('run-stopped')).toHaveText(/^Stopped after \d+\.\d s\.$/);
  await expect(page.getByTestId('live-logs')).toContainText(line);
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.getByTestId('run-stop')).toHaveCount(0);
  // Nothing more arrives once stopped.
  const lines = await page.getByTestId('live-logs').locator('li').count();
  await page.waitForTimeout(400);
  await expect(page.getByTestId('live-logs').locator('li')).toHaveCount(lines);
}

test('a saved acorn shows its first line while it still runs, then its result', async ({ page, request, identity }) => {
  const { id } = await createAcornViaApi(request, identity, { title: 'Streams', code: slow });
  await longDeadline(page);
  await page.goto(`/a/${id}`);
  await expectStreamed(page);
});

test('scratch: lines show as they happen', async ({ page, identity: _ }) => {
  await longDeadline(page);
  await page.goto('/scratch');
  await setCode(page, slow);
  await expectStreamed(page);
});

test('Stop ends an endless loop at once and keeps its lines; the next run runs', async ({ page, identity: _ }) => {
  await longDeadline(page);
  await page.goto('/new');
  // A 10 s deadline: stopping must not wait for it.
  await setCode(page, "console.log('looping'); for(;;){}");
  await expectStopped(page, 'looping', 'button');
  await setCode(page, "'again'");
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok', { timeout: 5_000 });
  await expect(page.getByTestId('run-value')).toContainText('again');
});

test('scratch: Stop and Esc end a run that logs forever', async ({ page, identity: _ }) => {
  await longDeadline(page);
  await page.goto('/scratch');
  await setCode(page, "setInterval(() => console.log('tick'), 100);\nawait new Promise(() => {});");
  await expectStopped(page, 'tick', 'button');
  await expectStopped(page, 'tick', 'escape');
});

test('events that arrive all at once (a buffering proxy), or plain JSON, show the result', async ({ page }) => {
  const result = {
    status: 'ok',
    value: 1,
    preview: '1',
    logs: [{ level: 'log', message: 'buffered', t: 1 }],
    wallMs: 2,
    cpuMs: 1,
    truncated: { logs: false, value: false },
  };
  let plain = false;
  await page.route('**/api/run', (route) =>
    route.fulfill(
      plain
        ? { status: 200, contentType: 'application/json', body: JSON.stringify({ ...result, preview: '2' }) }
        : {
            status: 200,
            contentType: 'text/event-stream',
            body: `event: log\ndata: ${JSON.stringify(result.logs[0])}\n\n: keep-alive\n\nevent: result\ndata: ${JSON.stringify(result)}\n\n`,
          },
    ),
  );
  await page.goto('/scratch');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('ok');
  await expect(page.getByTestId('run-logs')).toContainText('buffered');
  await expect(page.getByTestId('run-value')).toHaveText('1');
  plain = true;
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-value')).toHaveText('2');
  await expect(page.getByTestId('error-message')).toHaveCount(0);
});
