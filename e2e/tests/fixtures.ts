/** Shared fixtures: the server's URL as baseURL, identities made over the API, and editor helpers. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
  type TestInfo,
} from '@playwright/test';

export { expect };

export interface Identity {
  id: string;
  key: string;
}

export const baseURL = () => {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run through playwright.config.ts (global setup)');
  return url;
};

export const test = base.extend<{ identity: Identity }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their first argument.
  baseURL: async ({}, use) => use(baseURL()),
  /** A fresh identity, already stored in the page's localStorage. */
  identity: async ({ context, request }, use) => {
    const identity = await createIdentity(request);
    await useIdentity(context, identity);
    await use(identity);
  },
});

export async function createIdentity(request: APIRequestContext): Promise<Identity> {
  const response = await request.post(`${baseURL()}/api/identities`);
  expect(response.status()).toBe(201);
  const { id, key } = (await response.json()) as Identity;
  return { id, key };
}

/** Makes every page of the context start with this identity, as if it had been imported. */
export async function useIdentity(context: BrowserContext, identity: Identity): Promise<void> {
  await context.addInitScript((value) => {
    if (!localStorage.getItem('squirrelbin.identity')) {
      localStorage.setItem('squirrelbin.identity', value);
    }
  }, JSON.stringify(identity));
}

export async function createAcornViaApi(
  request: APIRequestContext,
  identity: Identity,
  body: {
    title: string;
    code: string;
    visibility?: string;
    language?: string;
    description?: string;
    endpoint?: boolean;
  },
): Promise<{ id: string; version: number }> {
  const response = await request.post(`${baseURL()}/api/acorns`, {
    headers: { Authorization: `Bearer ${identity.key}` },
    data: { language: 'javascript', visibility: 'public', ...body },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; version: number };
}

/** Replaces the editor's whole text (typed as one input, so auto-indent and bracket closing stay out of it). */
export async function setCode(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('code-editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await expect(editor).toContainText(code.split('\n')[0]!);
}

export async function editorText(page: Page): Promise<string> {
  const lines = await page.getByTestId('code-editor').locator('.cm-line').allTextContents();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** Saves a screenshot as a test artifact (attached to the report and written under test-results/). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * `npm run admin -- create-key` against the running server's data dir; the key is alone on the last line.
 * Two workers never run it at once (a lock directory beside the data dir): the CLI opens the same store as the
 * server, and two CLIs starting together were seen to fail.
 */
export function createAdminKey(): string {
  const root = resolve(import.meta.dirname, '../..');
  const lock = `${process.env.E2E_DATA_DIR}.admin-lock`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    const output = execFileSync('npm', ['run', '--silent', 'admin', '--', 'create-key'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const key = output.trim().split('\n').at(-1)!.trim();
    expect(key).toMatch(/^sqb_/);
    return key;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** PATCHes an acorn over the API (a new version), returning the stored acorn. */
export async function updateAcornViaApi(
  request: APIRequestContext,
  identity: Identity,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  const response = await request.patch(`${baseURL()}/api/acorns/${id}`, {
    headers: { Authorization: `Bearer ${identity.key}`, 'If-Match': `"${version}"` },
    data: changes,
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { id: string; version: number };
}

/** Imports a key through Settings, as a person moving to this browser would. */
export async function importKey(page: Page, key: string): Promise<void> {
  await page.goto('/settings');
  await page.getByLabel('Key to import').fill(key);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
}
