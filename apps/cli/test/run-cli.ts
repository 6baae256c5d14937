/** Runs the CLI as a process (Node 24 from the test runner), with a clean environment of our choosing. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const cliBin = fileURLToPath(new URL('../bin/squirrelbin.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document it must be. */
  json<T = Record<string, unknown>>(): T;
  /** Milliseconds from the start to the first stdout bytes. */
  firstOutputMs: number | undefined;
  ms: number;
}

export interface CliOptions {
  /** Added to (or, as undefined, removed from) the base environment. */
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
  /** Run this script instead of the bin (e.g. src/main.ts). */
  script?: string;
  /** Run with this Node instead of the test runner's. */
  node?: string;
  /** Called once stderr contains `text`, with a way to signal the process (Ctrl-C is SIGINT). */
  onStderr?: { text: string; act: (kill: (signal: NodeJS.Signals) => void) => void };
}

/** A fresh home with its own config dir: what a new user has. */
export async function freshHome(): Promise<{ home: string; configHome: string }> {
  const home = await mkdtemp(join(tmpdir(), 'sqb-cli-'));
  return { home, configHome: join(home, 'config') };
}

/** The base environment of one test user: a fresh home and config dir, and the server to talk to. */
export function userEnv(home: string, configHome: string, server: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: configHome,
    // One compile cache for every user of a test run, as one person would have: each command starts faster.
    XDG_CACHE_HOME: cacheHome,
    SQUIRRELBIN_SERVER: server,
  };
}

const cacheHome = join(tmpdir(), `sqb-cli-cache-${process.pid}`);
export const removeCache = () => rm(cacheHome, { recursive: true, force: true });

export function runCli(args: string[], base: Record<string, string>, options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return runProcess(options.node ?? process.execPath, [options.script ?? cliBin, ...args], env, options);
}

function runProcess(
  file: string,
  args: string[],
  env: Record<string, string>,
  options: Pick<CliOptions, 'stdin' | 'cwd' | 'onStderr'>,
): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(file, args, { cwd: options.cwd ?? repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let firstOutputMs: number | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    firstOutputMs ??= performance.now() - started;
    stdout += chunk;
  });
  let watching = options.onStderr;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (watching && stderr.includes(watching.text)) {
      watching.act((signal) => child.kill(signal));
      watching = undefined;
    }
  });
  child.stdin.end(options.stdin ?? '');
  // A hung command ends the test with what it printed, rather than a bare test timeout.
  const timer = setTimeout(() => {
    stderr += `\n[killed after ${processTimeoutMs} ms]`;
    child.kill('SIGKILL');
  }, processTimeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        firstOutputMs,
        ms: performance.now() - started,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not one JSON document (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      });
    });
  });
}

const processTimeoutMs = 60_000;

/** `script` from util-linux gives the CLI a terminal (stdout and stderr both), to see progress bars and colour. */
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

export function runCliOnTty(args: string[], base: Record<string, string>, env: Record<string, string> = {}) {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, cliBin, ...args].map(quote).join(' ');
  return runProcess('script', ['-qefc', command, '/dev/null'], { ...base, ...env, TERM: 'xterm' }, {});
}
