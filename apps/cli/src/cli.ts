/** The `squirrelbin` program: its commands, and every failure turned into a message and an exit code. */
import { ApiError } from '@squirrelbin/client';
import { Command, CommanderError } from 'commander';
import { callCommand } from './commands/call.ts';
import { forkCommand } from './commands/fork.ts';
import { loadCommand } from './commands/load.ts';
import { loginCommand } from './commands/login.ts';
import { lsCommand } from './commands/ls.ts';
import { pullCommand } from './commands/pull.ts';
import { pushCommand } from './commands/push.ts';
import { runCommand } from './commands/run.ts';
import { ExitError, exitCodes, UsageError } from './exit.ts';
import { Output } from './output.ts';
import type { CliContext } from './session.ts';
import { defaultServer } from './settings.ts';

export function buildProgram(context: CliContext): Command {
  const program = new Command('squirrelbin')
    .description('SquirrelBin from the command line: run, save, share, load-test and call acorns.')
    .version(context.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    // Options before the command only: what follows is the command's own (and `--` reaches it intact).
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Every command takes --json: one JSON document on stdout (the API's own object) and nothing else.
Server and key: saved by \`squirrelbin login\` in $XDG_CONFIG_HOME/squirrelbin/config.json
(~/.config/squirrelbin/config.json); SQUIRRELBIN_SERVER and SQUIRRELBIN_KEY override it. Default server: ${defaultServer}.
Exit codes: 0 ok, 1 the acorn failed, 2 usage error, 3 server or network error.`,
    );
  for (const register of [
    loginCommand,
    runCommand,
    pushCommand,
    pullCommand,
    lsCommand,
    forkCommand,
    loadCommand,
    callCommand,
  ]) {
    register(program, context);
  }
  return program;
}

/** Runs the CLI on these arguments (without `node` and the script) and resolves with the exit code. */
export async function runCli(args: string[], context: CliContext): Promise<number> {
  const program = buildProgram(context);
  const json = args.includes('--json');
  const out = new Output(context.io, { json, noColor: context.settings.noColor });
  try {
    await program.parseAsync(protectDashIds(args, program), { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    return failure(out, error, context);
  }
}

/** An acorn id that starts with `-` (one in 64 of them: ids are base64url). */
const dashId = /^-[A-Za-z0-9_-]{15,63}$/;

/**
 * Commander would read an id that starts with `-` as an option. When one stands where a command takes its id, the
 * command's arguments are moved, in order, behind `--` (where only arguments are read) and its options kept before.
 */
export function protectDashIds(args: string[], program: Command): string[] {
  const [name, ...rest] = args;
  const command = program.commands.find((candidate) => candidate.name() === name);
  const first = command?.registeredArguments[0]?.name() ?? '';
  if (!command || !/\bid\b/.test(first) || rest.includes('--')) return args;
  const options: string[] = [];
  const operands: string[] = [];
  let moved = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const option = command.options.find((candidate) => candidate.short === arg || candidate.long === arg);
    if (option) {
      options.push(arg);
      // Its value, whatever it looks like (commander takes it the same way).
      if ((option.required || option.optional) && i + 1 < rest.length) options.push(rest[++i]!);
    } else if (operands.length === 0 && dashId.test(arg)) {
      operands.push(arg);
      moved = true;
    } else if (arg.startsWith('-')) {
      options.push(arg);
    } else {
      operands.push(arg);
    }
  }
  return moved ? [name!, ...options, '--', ...operands] : args;
}

function failure(out: Output, error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander has already printed its own message for the rest.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof ExitError) {
    if (error.message) out.error(error.message);
    return error.code;
  }
  if (error instanceof UsageError) {
    out.error(error.message);
    return exitCodes.usage;
  }
  if (error instanceof ApiError) {
    if (out.json && error.problem) out.document(error.problem);
    out.error(explain(error, context));
    return exitCodes.server;
  }
  out.error(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  return exitCodes.server;
}

/** A problem as a sentence, with what to do about it where that is clear. */
function explain(error: ApiError, context: CliContext): string {
  if (error.type === 'network') {
    const cause = error.cause as (Error & { cause?: { code?: string; message?: string } }) | undefined;
    const reason = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? 'no answer';
    return (
      `could not reach ${context.current.server ?? 'the server'} (${reason}). Is it running? Set the server with ` +
      '`squirrelbin login --server URL` or SQUIRRELBIN_SERVER.'
    );
  }
  let text = `${error.detail} (${error.status} ${error.type})`;
  for (const issue of error.errors) text += `\n  ${issue.path || 'body'}: ${issue.message}`;
  if (error.status === 401) {
    text += context.settings.key
      ? '\nThe key in SQUIRRELBIN_KEY is not known to this server.'
      : '\nLog in first: `squirrelbin login` (or set SQUIRRELBIN_KEY).';
  }
  if (error.retryAfter) text += `\nTry again in ${error.retryAfter} s.`;
  return text;
}
