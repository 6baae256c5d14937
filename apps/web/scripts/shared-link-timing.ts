/**
 * Times a shared link on a slow phone: from navigation to the acorn's code visible in the editor at `/a/{id}`,
 * with Chromium throttled over CDP (1.6 Mbps down, 750 kbps up, 150 ms RTT, 4× CPU slowdown), every run in a
 * fresh browser context (cold cache). It starts the real server (API + built SPA) like e2e/global-setup.ts on a
 * free port with a throwaway data dir, creates one public acorn over the API, and prints the median, the JS the
 * page downloaded (on the wire and decoded) and when the acorn request started against the editor chunk.
 *
 *   npm run build -w @squirrelbin/web && node apps/web/scripts/shared-link-timing.ts [--runs 5] [--json]
 *
 * `--web-dist <dir>` serves another build (e.g. one of an older commit, to compare on the same machine and load).
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium (Playwright cannot download browsers here).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '../../..');
const node24 = join(root, 'node_modules/.bin/node');
const nodeBin = existsSync(node24) ? node24 : process.execPath;

/** The throttled profile: Lighthouse's "slow 4G" numbers (in bytes per second for CDP), plus a 4× slower CPU. */
export const profile = {
  latencyMs: 150,
  downloadBytesPerSecond: (1.6 * 1000 * 1000) / 8,
  uploadBytesPerSecond: (750 * 1000) / 8,
  cpuSlowdown: 4,
} as const;

const marker = 'squirrelbin-timing-marker';
const code = [
  `// ${marker}: a small acorn, the size of a typical shared snippet`,
  'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));',
  'const squares = Array.from({ length: 10 }, (_, i) => i * i);',
  "console.log('squares', squares);",
  'const words = input?.words ?? ["acorn", "oak", "squirrel"];',
  'const counts = new Map();',
  'for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);',
  'console.table([...counts].map(([word, count]) => ({ word, count })));',
  'export default function main(input) {',
  '  return { fib: fib(20), squares, words: words.length };',
  '}',
].join('\n');

interface ResourceRow {
  name: string;
  startTime: number;
  responseEnd: number;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

interface RunResult {
  codeVisibleMs: number;
  jsFiles: number;
  jsTransferBytes: number;
  jsDecodedBytes: number;
  acornRequestStartMs: number;
  acornResponseEndMs: number;
  editorChunkEndMs: number | null;
  scripts: ResourceRow[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      'web-dist': { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs) || 5);
  const webDist = resolve(values['web-dist'] ?? join(root, 'apps/web/dist'));
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`${webDist}/index.html is missing: run \`npm run build -w @squirrelbin/web\` first`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'squirrelbin-timing-'));
  const server = await startServer(dataDir, webDist);
  let browser: Browser | undefined;
  try {
    const id = await createAcorn(server.url);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const results: RunResult[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      results.push(await timeLoad(page, `${server.url}/a/${id}`));
      await context.close();
    }
    report(results, values.json ?? false);
  } finally {
    await browser?.close();
    await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.admin-lock`, { recursive: true, force: true });
  }
}

async function timeLoad(page: Page, url: string): Promise<RunResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: profile.downloadBytesPerSecond,
    uploadThroughput: profile.uploadBytesPerSecond,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
  // The moment the editor holds the acorn's code, taken at the next frame (when it is painted).
  await page.addInitScript((text) => {
    const found = () => document.querySelector('.cm-content')?.textContent?.includes(text) ?? false;
    const observer = new MutationObserver(() => {
      if (!found()) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        (window as unknown as { __codeVisible: number }).__codeVisible = performance.now();
      });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }, marker);

  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => (window as unknown as { __codeVisible?: number }).__codeVisible !== undefined,
    null,
    {
      timeout: 120_000,
      polling: 100,
    },
  );
  const measured = await page.evaluate(() => ({
    codeVisible: (window as unknown as { __codeVisible: number }).__codeVisible,
    resources: performance.getEntriesByType('resource').map((entry) => {
      const r = entry as PerformanceResourceTiming;
      return {
        name: new URL(r.name).pathname,
        startTime: r.startTime,
        responseEnd: r.responseEnd,
        transferSize: r.transferSize,
        encodedBodySize: r.encodedBodySize,
        decodedBodySize: r.decodedBodySize,
      };
    }),
  }));
  const scripts = measured.resources.filter((r) => r.name.endsWith('.js'));
  const acorn = measured.resources.find((r) => r.name.startsWith('/api/acorns/'));
  const editor = scripts.find((r) => /\/codemirror-[^/]+\.js$/.test(r.name));
  return {
    codeVisibleMs: measured.codeVisible,
    jsFiles: scripts.length,
    jsTransferBytes: sum(scripts.map((r) => r.transferSize)),
    jsDecodedBytes: sum(scripts.map((r) => r.decodedBodySize)),
    acornRequestStartMs: acorn?.startTime ?? Number.NaN,
    acornResponseEndMs: acorn?.responseEnd ?? Number.NaN,
    editorChunkEndMs: editor?.responseEnd ?? null,
    scripts,
  };
}

function report(results: RunResult[], json: boolean) {
  const median = (pick: (r: RunResult) => number) => {
    const sorted = results.map(pick).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const summary = {
    profile,
    runs: results.length,
    codeVisibleMs: results.map((r) => Math.round(r.codeVisibleMs)),
    medianCodeVisibleMs: Math.round(median((r) => r.codeVisibleMs)),
    jsFiles: results[0]!.jsFiles,
    jsTransferKb: round(median((r) => r.jsTransferBytes) / 1000),
    jsDecodedKb: round(median((r) => r.jsDecodedBytes) / 1000),
    medianAcornRequestStartMs: Math.round(median((r) => r.acornRequestStartMs)),
    medianAcornResponseEndMs: Math.round(median((r) => r.acornResponseEndMs)),
    medianEditorChunkEndMs: Math.round(median((r) => r.editorChunkEndMs ?? Number.NaN)),
  };
  if (json) {
    console.log(JSON.stringify({ ...summary, scripts: results[0]!.scripts }, null, 2));
    return;
  }
  const p = profile;
  console.log(
    `Shared link /a/{id}, throttled: ${(p.downloadBytesPerSecond * 8) / 1e6} Mbps down, ` +
      `${(p.uploadBytesPerSecond * 8) / 1e3} kbps up, ${p.latencyMs} ms RTT, ${p.cpuSlowdown}× CPU; cold cache`,
  );
  console.log('  script                                      start ms    end ms   wire kB  decoded kB');
  for (const r of results[0]!.scripts) {
    console.log(
      `  ${r.name.padEnd(42)} ${r.startTime.toFixed(0).padStart(8)} ${r.responseEnd.toFixed(0).padStart(9)} ` +
        `${(r.transferSize / 1000).toFixed(1).padStart(9)} ${(r.decodedBodySize / 1000).toFixed(1).padStart(11)}`,
    );
  }
  console.log(
    `  JS: ${summary.jsFiles} files, ${summary.jsTransferKb} kB on the wire, ${summary.jsDecodedKb} kB decoded`,
  );
  console.log(
    `  acorn request: starts ${summary.medianAcornRequestStartMs} ms, done ${summary.medianAcornResponseEndMs} ms; ` +
      `editor chunk done ${summary.medianEditorChunkEndMs} ms`,
  );
  console.log(`  code visible (ms, per run): ${summary.codeVisibleMs.join(', ')}`);
  console.log(`  median: ${summary.medianCodeVisibleMs} ms`);
}

async function createAcorn(url: string): Promise<string> {
  const identity = await fetch(`${url}/api/identities`, { method: 'POST' });
  if (identity.status !== 201) throw new Error(`POST /api/identities: ${identity.status}`);
  const { key } = (await identity.json()) as { key: string };
  const created = await fetch(`${url}/api/acorns`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Timing', code, language: 'javascript', visibility: 'public' }),
  });
  if (created.status !== 201) throw new Error(`POST /api/acorns: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { id: string }).id;
}

function startServer(dataDir: string, webDist: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(nodeBin, ['--no-node-snapshot', 'apps/api/src/server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      WEB_DIST: webDist,
      RUN_RATE_LIMIT: '0',
      IDENTITY_RATE_LIMIT: '0',
      ACORN_RATE_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.resume();
        child.stderr!.resume();
        done({ url: match[1]!.replace(/\/$/, ''), child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      fail(new Error(`the server exited with ${exitCode} before listening:\n${output}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round = (value: number) => Math.round(value * 10) / 10;

await main();
