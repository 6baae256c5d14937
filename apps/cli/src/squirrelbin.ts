/** The CLI as a process: argv, environment and standard streams in, an exit code out. */
import { text } from 'node:stream/consumers';
import packageJson from '../package.json' with { type: 'json' };
import { runCli } from './cli.ts';
import { readSettings } from './settings.ts';

// A reader that stops early (`squirrelbin pull x | head`) closes the pipe: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  settings: readSettings(process.env, process.cwd()),
  io: { stdout: process.stdout, stderr: process.stderr },
  stdin: async () => new TextEncoder().encode(await text(process.stdin)),
  version: packageJson.version,
  current: {},
});
// Let stdout drain (a pipe may still hold a large body) instead of process.exit().
process.exitCode = code;
