/** `pull <id> [-o FILE]`: the acorn's code on stdout or into a file; remembers its version for `push --id`. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { rememberVersion } from '../config-file.ts';
import { UsageError } from '../exit.ts';
import { printable } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface PullOptions {
  output?: string;
  json?: boolean;
}

export function pullCommand(program: Command, context: CliContext): void {
  program
    .command('pull')
    .description('write an acorn’s code to stdout or a file, and remember its version for push --id')
    .argument('<id>', 'the acorn')
    .option('-o, --output <file>', 'write the code to this file instead of stdout')
    .option('--json', 'print the acorn as JSON (the code is in it; -o still writes the file)')
    .action(async (id: string, options: PullOptions) => {
      const { out, server, client } = await openSession(context, options);
      const acorn = await client.getAcorn(id);
      if (options.output !== undefined) {
        const path = resolve(context.settings.cwd, options.output);
        try {
          await writeFile(path, acorn.code);
        } catch (error) {
          throw new UsageError(
            `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
        await rememberVersion(context.settings.configDir, acorn.id, acorn.version, server);
        if (out.json) return out.document(acorn);
        out.line(
          `Pulled ${out.out('bold', acorn.id)} “${printable(acorn.title)}” version ${acorn.version} into ${options.output}`,
        );
        return;
      }
      await rememberVersion(context.settings.configDir, acorn.id, acorn.version, server);
      if (out.json) return out.document(acorn);
      out.raw(acorn.code);
      // On a terminal, the prompt should not follow the last line of code.
      if (context.io.stdout.isTTY && acorn.code !== '' && !acorn.code.endsWith('\n')) out.raw('\n');
    });
}
