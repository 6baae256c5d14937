/** Reading what the user passed: files, `--input JSON|@file`, `-d BODY|@file`, headers and numbers. */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './exit.ts';

/** A source file's language: `.ts` (also `.mts`, `.cts`) is TypeScript, anything else JavaScript. */
export const languageOf = (file: string): 'typescript' | 'javascript' =>
  ['.ts', '.mts', '.cts'].includes(extname(file).toLowerCase()) ? 'typescript' : 'javascript';

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function readBytes(path: string, what: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UsageError(`cannot read ${what} ${path}: ${reason ?? (error as Error).message}`);
  }
}

export async function readText(path: string, what: string): Promise<string> {
  const bytes = await readBytes(path, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${what} ${path} is not UTF-8 text`);
  }
}

/** A source file to run or push: its code, language and name. */
export async function readSource(cwd: string, file: string) {
  const path = resolve(cwd, file);
  const code = await readText(path, 'file');
  return { path, code, language: languageOf(path), name: basename(path) };
}

/** `--input`: JSON text, or `@file` holding JSON. */
export async function readJsonInput(cwd: string, value: string | undefined, option = '--input'): Promise<unknown> {
  if (value === undefined) return undefined;
  const fromFile = value.startsWith('@');
  const text = fromFile ? await readText(resolve(cwd, value.slice(1)), `${option} file`) : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = fromFile ? `the file ${value.slice(1)}` : `${option}`;
    throw new UsageError(`${where} is not valid JSON (${(error as Error).message}); quote strings: '"text"'`);
  }
}

/** `-d`: the body as given, `@file` for a file's bytes, `@-` for standard input. */
export async function readBody(
  cwd: string,
  value: string | undefined,
  stdin: () => Promise<Uint8Array<ArrayBuffer>>,
): Promise<string | Uint8Array<ArrayBuffer> | undefined> {
  if (value === undefined) return undefined;
  if (value === '@-') return stdin();
  if (value.startsWith('@')) return readBytes(resolve(cwd, value.slice(1)), '-d file');
  return value;
}

/** `-H 'Name: value'`, repeatable. */
export function collectHeader(value: string, previous: [string, string][] = []): [string, string][] {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InvalidArgumentError(`expected 'Name: value', got '${value}'`);
  }
  return [...previous, [name, value.slice(colon + 1).trim()]];
}

/** A commander argument parser for whole numbers within bounds. */
export function integerIn(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return number;
  };
}
