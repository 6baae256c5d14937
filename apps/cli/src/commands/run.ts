/** `run <file|id> [--input JSON|@file] [--stream] [--timeout MS]`: logs, then the value; exit 1 when the run failed. */

import { resolve } from 'node:path';
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import type { Command } from 'commander';
import { bounds } from '../bounds.ts';
import { ExitError, exitCodes, UsageError } from '../exit.ts';
import { integerIn, isFile, readJsonInput, readSource } from '../inputs.ts';
import type { Output } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface RunOptions {
  input?: string;
  stream?: boolean;
  timeout?: number;
  json?: boolean;
}

export function runCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description('run a file as unsaved code (.ts: TypeScript, else JavaScript) or a saved acorn by id')
    .argument('<file|id>', 'a source file, or the id of a saved acorn')
    .option('--input <json|@file>', 'the input the acorn gets, as JSON (or @file holding JSON)')
    .option('--stream', 'print log lines as they happen')
    .option(
      '--timeout <ms>',
      'the run’s deadline in ms (the server clamps it to its maximum)',
      integerIn(bounds.timeoutMs.min, bounds.timeoutMs.max),
    )
    .option('--json', 'print the run result as JSON')
    .action(async (target: string, options: RunOptions) => {
      const { cwd } = context.settings;
      const input = await readJsonInput(cwd, options.input);
      const limits = options.timeout === undefined ? undefined : { timeoutMs: options.timeout };
      const session = await openSession(context, options);
      const { out, client } = session;
      const onLog = options.stream && !out.json ? (entry: LogEntry) => printLog(out, entry) : undefined;
      const runOptions = { stream: options.stream === true, onLog };
      let result: RunResult;
      if (await isFile(resolve(cwd, target))) {
        const source = await readSource(cwd, target);
        result = await client.runCode({ language: source.language, code: source.code, input, limits }, runOptions);
      } else if (bounds.acornId.test(target)) {
        result = await client.runAcorn(target, { input, limits }, runOptions);
      } else {
        throw new UsageError(`no such file, and not an acorn id: ${target}`);
      }
      printRunResult(out, result, { logsPrinted: onLog !== undefined });
    });
}

/** A console line: warnings and errors on stderr, like Node's console; group depth as indentation. */
export function printLog(out: Output, entry: LogEntry): void {
  const text = `${'  '.repeat(entry.depth ?? 0)}${entry.message}\n`;
  if (entry.level === 'error') out.io.stderr.write(out.err('red', text));
  else if (entry.level === 'warn') out.io.stderr.write(out.err('yellow', text));
  else out.io.stdout.write(text);
}

/** Logs (unless streamed already), then the value; a failed run is explained on stderr and exits 1. */
export function printRunResult(out: Output, result: RunResult, { logsPrinted }: { logsPrinted: boolean }): void {
  if (out.json) {
    out.document(result);
  } else {
    if (!logsPrinted) for (const entry of result.logs) printLog(out, entry);
    if (result.truncated.logs) out.note(out.err('dim', '(some log lines were left out: the output limit was reached)'));
    if (result.status === 'ok') {
      const shown = valueText(result);
      if (shown !== undefined) out.raw(`${shown}\n`);
      if (result.truncated.value) out.note(out.err('dim', '(the value was cut at the output limit)'));
    } else {
      out.error(failureText(result));
    }
  }
  if (result.status !== 'ok') throw new ExitError(exitCodes.acornFailed);
}

/** Strings as they are, JSON values indented, anything else (undefined aside) as the server's preview. */
function valueText(result: RunResult): string | undefined {
  if (typeof result.value === 'string') return result.value;
  if (result.value !== undefined) return JSON.stringify(result.value, null, 2);
  return result.preview === 'undefined' ? undefined : result.preview;
}

function failureText(result: RunResult): string {
  const ms = `${Math.round(result.wallMs)} ms`;
  switch (result.status) {
    case 'timeout':
      return `the run passed its deadline (timeout after ${ms})`;
    case 'memory':
      return `the run hit its memory limit (after ${ms})`;
    case 'killed':
      return `the run's worker died under it (killed after ${ms})`;
    default: {
      const error = result.error;
      if (!error) return `the run ended ${result.status}`;
      const where = error.line
        ? ` (${error.source ? `${error.source} ` : ''}line ${error.line}:${error.column ?? 0})`
        : '';
      const stack = error.stack.split('\n').slice(1).join('\n');
      return `${error.name}: ${error.message}${where}${stack ? `\n${stack}` : ''}`;
    }
  }
}
