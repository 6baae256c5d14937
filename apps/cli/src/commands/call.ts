/**
 * `call <id> [PATH] [-X METHOD] [-H 'Name: value']… [-d BODY|@file] [-i]`: calls the acorn's endpoint at
 * `/x/{id}{PATH}` and prints the body (`-i`: status and headers first). Exit 1 when the acorn answered non-2xx;
 * SquirrelBin's own refusals (404 not served, 413, 429, 503) are server errors (exit 3).
 */
import type { Command } from 'commander';
import { ExitError, exitCodes, UsageError } from '../exit.ts';
import { collectHeader, readBody } from '../inputs.ts';
import { type CliContext, openSession } from '../session.ts';

interface CallOptions {
  request?: string;
  header?: [string, string][];
  data?: string;
  include?: boolean;
  json?: boolean;
}

export function callCommand(program: Command, context: CliContext): void {
  program
    .command('call')
    .description('call an endpoint acorn at /x/{id}{path} and print what it answers')
    .argument('<id>', 'the endpoint acorn')
    .argument('[path]', 'below /x/{id}, with any query: /users/7?x=1', '')
    .option('-X, --request <method>', 'the HTTP method (default GET, or POST with -d)')
    .option('-H, --header <header>', "a request header, 'Name: value' (repeatable)", collectHeader)
    .option('-d, --data <body|@file>', 'the request body: text, @file for a file’s bytes, @- for stdin')
    .option('-i, --include', 'print the status line and headers before the body')
    .option('--json', 'print {status, statusText, headers, body, bodyEncoding} as JSON')
    .action(async (id: string, path: string, options: CallOptions) => {
      const body = await readBody(context.settings.cwd, options.data, context.stdin);
      const method = (options.request ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
      if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method))
        throw new UsageError(`-X: not an HTTP method: ${options.request}`);
      if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
        throw new UsageError(`a ${method} request has no body: drop -d or pick another method with -X`);
      }
      const { out, client } = await openSession(context, options);
      const response = await client.callEndpoint(id, { path, method, headers: options.header ?? [], body });
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (out.json) {
        const text = utf8(bytes);
        out.document({
          status: response.status,
          statusText: response.statusText,
          headers: Object.fromEntries(response.headers),
          body: text ?? Buffer.from(bytes).toString('base64'),
          bodyEncoding: text === undefined ? 'base64' : 'utf8',
        });
      } else {
        if (options.include) {
          const lines = [`HTTP ${response.status} ${response.statusText}`.trimEnd()];
          for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
          out.raw(`${lines.join('\r\n')}\r\n\r\n`);
        }
        out.raw(bytes);
      }
      if (!response.ok) {
        const run = response.headers.get('x-run-status');
        throw new ExitError(
          exitCodes.acornFailed,
          `the endpoint answered ${response.status}${run && run !== 'ok' ? ` (its run ended ${run})` : ''}`,
        );
      }
    });
}

/** The body as text when it is UTF-8, else undefined (then it goes out as base64). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
