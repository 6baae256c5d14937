/**
 * `push <file> [--id ID] …`: creates an acorn from a file, or updates one with If-Match of the version this copy was
 * last pulled or pushed at, so a stale copy is refused (412) and nothing is overwritten.
 */
import { ApiError } from '@squirrelbin/client';
import type { Acorn, UpdateAcornBody } from '@squirrelbin/schemas';
import { type Command, Option } from 'commander';
import { bounds, type Visibility } from '../bounds.ts';
import { knownVersion, rememberVersion } from '../config-file.ts';
import { ExitError, exitCodes } from '../exit.ts';
import { readSource } from '../inputs.ts';
import { type Output, printable } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface PushOptions {
  id?: string;
  title?: string;
  description?: string;
  visibility?: Visibility;
  endpoint?: boolean;
  json?: boolean;
}

export function pushCommand(program: Command, context: CliContext): void {
  program
    .command('push')
    .description('save a file as a new acorn, or with --id as a new version of one (refused if your copy is stale)')
    .argument('<file>', 'the source file (.ts: TypeScript, else JavaScript)')
    .option('--id <id>', 'update this acorn instead of creating one')
    .option('--title <title>', 'the title (a new acorn: default the file name)')
    .option('--description <text>', 'the description')
    .addOption(
      new Option('--visibility <visibility>', 'who can see it (a new acorn: default public)').choices(
        bounds.visibilities,
      ),
    )
    .option('--endpoint', 'serve it as an HTTP endpoint at /x/{id} (public or unlisted acorns)')
    .option('--no-endpoint', 'stop serving it as an endpoint')
    .option('--json', 'print the acorn as JSON')
    .action(async (file: string, options: PushOptions) => {
      const source = await readSource(context.settings.cwd, file);
      const { out, server, client } = await openSession(context, options);
      const { configDir } = context.settings;
      let acorn: Acorn;
      if (options.id === undefined) {
        acorn = await client.createAcorn({
          title: options.title ?? source.name,
          ...(options.description === undefined ? {} : { description: options.description }),
          language: source.language,
          code: source.code,
          visibility: options.visibility ?? 'public',
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        });
      } else {
        const changes: UpdateAcornBody = {
          code: source.code,
          language: source.language,
          ...(options.title === undefined ? {} : { title: options.title }),
          ...(options.description === undefined ? {} : { description: options.description }),
          ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        };
        const version = await knownVersion(configDir, options.id);
        if (version === undefined) {
          throw new ExitError(
            exitCodes.server,
            `no version of acorn ${options.id} is known here, so it cannot be updated safely (the server wants ` +
              `If-Match). Pull it first (\`squirrelbin pull ${options.id} -o <other file>\`), merge, then push again.`,
          );
        }
        try {
          acorn = await client.updateAcorn(options.id, changes, { ifMatch: version });
        } catch (error) {
          if (error instanceof ApiError && error.status === 412) explainStale(out, options.id, version, error, file);
          throw error;
        }
      }
      await rememberVersion(configDir, acorn.id, acorn.version, server);
      if (out.json) return out.document(acorn);
      const verb = options.id === undefined ? 'Created' : 'Updated';
      out.line(
        `${verb} ${out.out('bold', acorn.id)} “${printable(acorn.title)}” — version ${acorn.version}, ${acorn.visibility}`,
      );
      out.line(`  ${server}/a/${acorn.id}`);
      if (acorn.endpoint && acorn.visibility !== 'private') out.line(`  endpoint: ${server}/x/${acorn.id}`);
    });
}

/** 412: someone saved a newer version since this copy; nothing was written. */
function explainStale(out: Output, id: string, version: number, error: ApiError, file: string): never {
  const current = error.currentVersion === undefined ? 'a newer version' : `version ${error.currentVersion}`;
  if (out.json && error.problem) out.document(error.problem);
  throw new ExitError(
    exitCodes.server,
    `acorn ${id} changed since this copy: it was pulled or pushed at version ${version}, the server has ${current}. ` +
      `Nothing was overwritten. Get theirs with \`squirrelbin pull ${id} -o <other file>\`, merge it into ${file}, ` +
      `then push again (412 version-mismatch).`,
  );
}
