/**
 * The saved login (`config.json`: `{server, key}`) and the versions local copies were last pulled or pushed at
 * (`state.json`, keyed by acorn id), both owner-only (0600) in a 0700 directory.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './exit.ts';

export interface SavedConfig {
  server?: string;
  key?: string;
}

interface SavedState {
  acorns: Record<string, { version: number; server?: string }>;
}

// Checked by hand rather than with zod: loading zod would cost every command ~0.1 s of CPU at start.
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

function asConfig(value: unknown): SavedConfig | undefined {
  if (!isRecord(value) || !optionalString(value.server) || !optionalString(value.key)) return undefined;
  return {
    ...(value.server === undefined ? {} : { server: value.server as string }),
    ...(value.key === undefined ? {} : { key: value.key as string }),
  };
}

function asState(value: unknown): SavedState | undefined {
  if (!isRecord(value)) return undefined;
  const acorns = value.acorns ?? {};
  if (!isRecord(acorns)) return undefined;
  const valid = Object.values(acorns).every(
    (entry) => isRecord(entry) && Number.isSafeInteger(entry.version) && optionalString(entry.server),
  );
  return valid ? { acorns: acorns as SavedState['acorns'] } : undefined;
}

export const configPath = (dir: string) => join(dir, 'config.json');
export const statePath = (dir: string) => join(dir, 'state.json');

async function readJsonFile<T>(path: string, check: (value: unknown) => T | undefined, empty: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: T | undefined;
  try {
    parsed = check(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) throw new UsageError(`${path} is not a valid SquirrelBin file; fix or delete it`);
  return parsed;
}

/** Written whole through a temporary file, so a crash never leaves half a file; 0600 even if it existed before. */
async function writeJsonFile(path: string, dir: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export const readConfig = (dir: string): Promise<SavedConfig> => readJsonFile(configPath(dir), asConfig, {});

export async function writeConfig(dir: string, config: { server: string; key: string }): Promise<string> {
  const path = configPath(dir);
  await writeJsonFile(path, dir, { server: config.server, key: config.key });
  return path;
}

/** The version a local copy of this acorn was last pulled or pushed at. */
export async function knownVersion(dir: string, acornId: string): Promise<number | undefined> {
  const state = await readJsonFile(statePath(dir), asState, { acorns: {} });
  return state.acorns[acornId]?.version;
}

export async function rememberVersion(dir: string, acornId: string, version: number, server: string): Promise<void> {
  const path = statePath(dir);
  const state: SavedState = await readJsonFile(path, asState, { acorns: {} });
  state.acorns[acornId] = { version, server };
  await writeJsonFile(path, dir, state);
}
