/** Item 2: the SPA learns who a key is from GET /api/identities/me instead of guessing or probing admin metrics. */
import { createAcornViaApi, createIdentity, expect, importKey, setCode, test, updateAcornViaApi } from './fixtures.ts';

test('an imported key that owns nothing is a visitor on others’ acorns: no Save, Restore or Delete, and Ctrl+S forks', async ({
  page,
  request,
}) => {
  const owner = await createIdentity(request);
  const acorn = await createAcornViaApi(request, owner, { title: 'Not yours', code: "'v1'" });
  await updateAcornViaApi(request, owner, acorn.id, 1, { code: "'v2'" });
  const newcomer = await createIdentity(request);

  const adminProbes: string[] = [];
  page.on('request', (sent) => {
    if (sent.url().includes('/api/admin/')) adminProbes.push(sent.url());
  });
  await importKey(page, newcomer.key);
  await page.goto(`/a/${acorn.id}`);
  await expect(page.getByTestId('save')).toContainText('Save as my fork');
  await expect(page.getByTestId('delete')).toHaveCount(0);
  await expect(page.getByTestId('revision-item')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Restore/ })).toHaveCount(0);
  // A visitor is not told the owner's save state.
  await expect(page.getByTestId('save-status')).toHaveText('');

  await setCode(page, "'my take'");
  await expect(page.getByTestId('save-status')).toHaveText('Edited here — not saved');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveURL(new RegExp(acorn.id));
  await expect(page.getByTestId('save-status')).toHaveText('Saved · version 2');
  await expect(page.getByTestId('save-error')).toHaveCount(0);
  const forkId = page.url().split('/').at(-1)!;
  const fork = await (await request.get(`/api/acorns/${forkId}`)).json();
  expect(fork.ownerId).toBe(newcomer.id);
  expect(fork.code).toBe("'my take'");

  // Nobody asked the admin API whether this key is an admin's.
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  expect(adminProbes).toEqual([]);
});

test('a key the server does not know is reported, not treated as an owner', async ({ page, request }) => {
  const owner = await createIdentity(request);
  const acorn = await createAcornViaApi(request, owner, { title: 'Someone else’s', code: '1' });
  await page.addInitScript(() =>
    localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: `sqb_${'z'.repeat(40)}`, id: null })),
  );
  await page.goto(`/a/${acorn.id}`);
  // The API refuses a key it does not know (401), and the page says what to do about it.
  await expect(page.getByTestId('error-message')).toContainText('does not know the key');
  await expect(page.getByTestId('delete')).toHaveCount(0);
  await page.goto('/settings');
  await expect(page.getByText('This server does not know this key.')).toBeVisible();
});
