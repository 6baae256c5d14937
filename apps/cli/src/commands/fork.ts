/** `fork <id> [--title T]`: a copy of the acorn that you own. */
import type { Command } from 'commander';
import { rememberVersion } from '../config-file.ts';
import { printable } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface ForkOptions {
  title?: string;
  json?: boolean;
}

export function forkCommand(program: Command, context: CliContext): void {
  program
    .command('fork')
    .description('copy an acorn into one of your own')
    .argument('<id>', 'the acorn to copy')
    .option('--title <title>', 'the copy’s title (default: the original’s)')
    .option('--json', 'print the new acorn as JSON')
    .action(async (id: string, options: ForkOptions) => {
      const { out, server, client } = await openSession(context, options);
      const fork = await client.forkAcorn(id, options.title === undefined ? undefined : { title: options.title });
      await rememberVersion(context.settings.configDir, fork.id, fork.version, server);
      if (out.json) return out.document(fork);
      out.line(`Forked ${id} into ${out.out('bold', fork.id)} “${printable(fork.title)}” (${fork.visibility})`);
      out.line(`  ${server}/a/${fork.id}`);
    });
}
