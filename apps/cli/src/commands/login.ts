/** `login [--server URL] [--key KEY]`: saves `{server, key}`; without a key, a new identity is made for it. */
import type { Command } from 'commander';
import { bounds } from '../bounds.ts';
import { readConfig, writeConfig } from '../config-file.ts';
import { UsageError } from '../exit.ts';
import { type CliContext, checkServer, clientFor, outputFor } from '../session.ts';
import { defaultServer } from '../settings.ts';

interface LoginOptions {
  server?: string;
  key?: string;
  json?: boolean;
}

export function loginCommand(program: Command, context: CliContext): void {
  program
    .command('login')
    .description(`save the server and key every command uses (a new identity when no key is given)`)
    .option('--server <url>', `the SquirrelBin server (default: SQUIRRELBIN_SERVER, the saved one, ${defaultServer})`)
    .option('--key <key>', 'an identity key you have (sqb_…); checked with the server before it is saved')
    .option('--json', 'print {server, id, key, created, admin, config} as JSON')
    .action(async (options: LoginOptions) => {
      const out = outputFor(context, options);
      const { settings } = context;
      const server = options.server
        ? checkServer(options.server, '--server')
        : settings.server
          ? checkServer(settings.server, 'SQUIRRELBIN_SERVER')
          : checkServer((await readConfig(settings.configDir)).server ?? defaultServer, 'the saved server');
      let key = options.key?.trim();
      if (key !== undefined && !bounds.identityKey.test(key)) {
        throw new UsageError('--key is not a SquirrelBin key (sqb_ followed by 20 to 100 letters, digits, - or _)');
      }
      const client = clientFor(context, server, key);
      const created = key === undefined;
      let identity: { id: string; admin: boolean };
      if (key === undefined) {
        const made = await client.createIdentity();
        key = made.key;
        identity = { id: made.id, admin: false };
      } else {
        identity = await client.me();
      }
      const config = await writeConfig(settings.configDir, { server, key });
      if (out.json) {
        out.document({ server, id: identity.id, key, created, admin: identity.admin, config });
        return;
      }
      out.line(`Logged in to ${out.out('bold', server)} as ${identity.id}${identity.admin ? ' (admin)' : ''}.`);
      out.line(
        created
          ? `A new identity: its key is saved in ${config} (mode 0600) and shown nowhere else; keep a copy.`
          : `Key saved in ${config} (mode 0600).`,
      );
    });
}
