/** Shared fixtures: the server's URL as baseURL, identities made over the API, and editor helpers. */
import { execFileSync } from 'node:child_process';
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
  body: { title: string; code: string; visibility?: string; language?: string; description?: string },
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

/** `npm run admin -- create-key` against the running server's data dir; the key is alone on the last line. */
export function createAdminKey(): string {
  const root = resolve(import.meta.dirname, '../..');
  const output = execFileSync('npm', ['run', '--silent', 'admin', '--', 'create-key'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const key = output.trim().split('\n').at(-1)!.trim();
  expect(key).toMatch(/^sqb_/);
  return key;
}
