/** What every command starts from: the settings, where to write, and a client for the server it talks to. */
import { createClient, type SquirrelBinClient } from '@squirrelbin/client';
import { readConfig } from './config-file.ts';
import { UsageError } from './exit.ts';
import { type Io, Output } from './output.ts';
import { defaultServer, type Settings } from './settings.ts';

export interface CliContext {
  settings: Settings;
  io: Io;
  /** Standard input, read whole (`-d @-`). */
  stdin: () => Promise<Uint8Array<ArrayBuffer>>;
  version: string;
  /** The server this invocation talks to, once known (for messages about it). */
  current: { server?: string };
}

export interface Session {
  out: Output;
  server: string;
  client: SquirrelBinClient;
}

/** `http(s)://host[:port][/base]`, without a trailing slash. */
export function checkServer(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} is not a URL: ${value} (e.g. ${defaultServer})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http or https URL: ${value}`);
  }
  if (url.search || url.hash) throw new UsageError(`${from} must not have a query or fragment: ${value}`);
  return url.href.replace(/\/+$/, '');
}

export function outputFor(context: CliContext, options: { json?: boolean }): Output {
  return new Output(context.io, { json: options.json === true, noColor: context.settings.noColor });
}

/** The server and key: SQUIRRELBIN_SERVER / SQUIRRELBIN_KEY, else the saved login, else the default server. */
export async function openSession(context: CliContext, options: { json?: boolean }): Promise<Session> {
  const out = outputFor(context, options);
  const { settings } = context;
  const saved = await readConfig(settings.configDir);
  const server = settings.server
    ? checkServer(settings.server, 'SQUIRRELBIN_SERVER')
    : checkServer(saved.server ?? defaultServer, 'the saved server');
  const key = settings.key ?? saved.key;
  return { out, server, client: clientFor(context, server, key) };
}

export function clientFor(context: CliContext, server: string, key: string | undefined): SquirrelBinClient {
  context.current.server = server;
  return createClient({
    baseUrl: server,
    key,
    headers: { 'User-Agent': `squirrelbin-cli/${context.version} node/${process.versions.node}` },
  });
}
