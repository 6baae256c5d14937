/**
 * The CLI as a process against a real server (child process, free port, fresh data dir), each user with a fresh
 * temporary config home: every command and flag, --json parsed, exit codes, config mode, env overrides.
 */

import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createClient, type SquirrelBinClient } from '@squirrelbin/client';
import { startTestServer, type TestServer } from '@squirrelbin/client/testing/server';
import type { Acorn, AcornList, Job, RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, cliMain, freshHome, hasScript, removeCache, runCli, runCliOnTty, userEnv } from './run-cli.ts';

let server: TestServer;
const homes: string[] = [];

/** A new user: a fresh home and config dir, pointed at the test server. */
async function newUser() {
  const { home, configHome } = await freshHome();
  homes.push(home);
  const env = userEnv(home, configHome, server.url);
  const cli = (args: string[], options?: Parameters<typeof runCli>[2]) => runCli(args, env, options);
  return { home, configHome, env, cli, file: (name: string) => join(home, name) };
}

/** A user who ran `login`, with a client holding the same key. */
async function loggedInUser() {
  const user = await newUser();
  const login = await user.cli(['login', '--json']);
  expect(login.code, login.stderr).toBe(0);
  const { key, id } = login.json<{ key: string; id: string }>();
  return { ...user, key, id, client: createClient({ baseUrl: server.url, key }) };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  server = await startTestServer({ ENDPOINT_RATE_LIMIT: '0' });
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([...homes.map((home) => rm(home, { recursive: true, force: true })), removeCache()]);
});

describe('the program', () => {
  it('--help lists every command; no command or an unknown one is a usage error (2)', async () => {
    const user = await newUser();
    const help = await user.cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['login', 'run', 'push', 'pull', 'ls', 'fork', 'load', 'call']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(help.stdout).toContain('--json');
    const [none, unknown, badFlag, version, commandHelp] = await Promise.all([
      user.cli([]),
      user.cli(['frobnicate']),
      user.cli(['ls', '--nope']),
      user.cli(['--version']),
      user.cli(['push', '--help']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: squirrelbin');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("unknown option '--nope'");
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain('--visibility <visibility>');
  });

  it('src/main.ts runs as the entry too; the bin runs on an older Node through the pinned Node 24', async () => {
    const user = await newUser();
    const viaMain = await user.cli(['ls', '--limit', '1', '--json'], { script: cliMain });
    expect(viaMain.code, viaMain.stderr).toBe(0);
    expect(viaMain.json<AcornList>()).toHaveProperty('items');
    const systemNode = '/usr/bin/node';
    const old = await stat(systemNode).then(
      () => true,
      () => false,
    );
    if (old) {
      const viaOldNode = await user.cli(['--version'], { script: cliBin, node: systemNode });
      expect(viaOldNode.code, viaOldNode.stderr).toBe(0);
      expect(viaOldNode.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('an id that starts with a dash is read as an id wherever a command takes one', async () => {
    const user = await loggedInUser();
    const id = '-dAAAAAAAAAAAAAAAAAAAA';
    const results = await Promise.all([
      user.cli(['run', id, '--json']),
      user.cli(['pull', id]),
      user.cli(['fork', id, '--title', 'x']),
      user.cli(['load', '-n', '1', id, '-c', '1']),
      user.cli(['call', id, '/path', '-i']),
    ]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/404 (acorn|endpoint)-not-found/);
    }
    expect(results[0]!.json()).toMatchObject({ status: 404 });
  });

  it('an unreachable server is exit 3 with a message naming it, never a stack trace', async () => {
    const user = await newUser();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await user.cli(['ls'], { env: { SQUIRRELBIN_SERVER: url } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`could not reach ${url}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const badUrl = await user.cli(['ls'], { env: { SQUIRRELBIN_SERVER: 'ftp://example' } });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('SQUIRRELBIN_SERVER must be an http or https URL');
  });
});

describe('login', () => {
  it('without --key makes an identity and saves {server, key} with mode 0600', async () => {
    const user = await newUser();
    const login = await user.cli(['login', '--server', server.url, '--json'], {
      env: { SQUIRRELBIN_SERVER: undefined },
    });
    expect(login.code, login.stderr).toBe(0);
    const printed = login.json<{ server: string; key: string; id: string; created: boolean }>();
    expect(printed).toMatchObject({ server: server.url, created: true });
    expect(printed.key).toMatch(/^sqb_/);
    const path = join(user.configHome, 'squirrelbin', 'config.json');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ server: server.url, key: printed.key });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(user.configHome, 'squirrelbin'))).mode & 0o777).toBe(0o700);
    const me = await createClient({ baseUrl: server.url, key: printed.key }).me();
    expect(me.id).toBe(printed.id);

    // The saved server is used without SQUIRRELBIN_SERVER.
    const list = await user.cli(['ls', '--mine', '--json'], { env: { SQUIRRELBIN_SERVER: undefined } });
    expect(list.code, list.stderr).toBe(0);
    expect(list.json<AcornList>().items).toEqual([]);
  });

  it('--key checks the key with the server before saving it; human output names the identity', async () => {
    const owner = await loggedInUser();
    const user = await newUser();
    const login = await user.cli(['login', '--key', owner.key]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`as ${owner.id}`);
    expect(login.stdout).not.toContain(owner.key);
    const saved = JSON.parse(await readFile(join(user.configHome, 'squirrelbin', 'config.json'), 'utf8'));
    expect(saved).toEqual({ server: server.url, key: owner.key });
    const asJson = await user.cli(['login', '--key', owner.key, '--json']);
    expect(asJson.json()).toMatchObject({ server: server.url, id: owner.id, key: owner.key, created: false });
  });

  it('a malformed key or URL is a usage error (2); a key the server does not know is exit 3', async () => {
    const user = await newUser();
    const [malformed, unknown, badServer] = await Promise.all([
      user.cli(['login', '--key', 'hunter2']),
      user.cli(['login', '--key', `sqb_${'x'.repeat(40)}`]),
      user.cli(['login', '--server', 'not a url']),
    ]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--key is not a SquirrelBin key');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('401 unauthenticated');
    expect(badServer.code).toBe(2);
    expect(badServer.stderr).toContain('--server is not a URL');
    await expect(stat(join(user.configHome, 'squirrelbin', 'config.json'))).rejects.toThrow();
  });

  it('the default server is http://localhost:8787', async () => {
    const user = await newUser();
    const result = await user.cli(['ls', '--limit', '1', '--json'], { env: { SQUIRRELBIN_SERVER: undefined } });
    // Something may be serving there on this machine; if not, the message names it.
    if (result.code !== 0) {
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('http://localhost:8787');
    }
  });

  it('SQUIRRELBIN_SERVER and SQUIRRELBIN_KEY override the saved ones for any command', async () => {
    const saved = await loggedInUser();
    const other = await loggedInUser();
    const mine = await other.client.createAcorn({
      title: 'Other’s',
      language: 'javascript',
      code: '1',
      visibility: 'private',
    });
    // The saved config points at a dead server with `saved`'s key: the environment wins over both.
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await writeFile(
      join(saved.configHome, 'squirrelbin', 'config.json'),
      JSON.stringify({ server: dead, key: saved.key }),
    );
    const viaSaved = await saved.cli(['ls', '--mine'], { env: { SQUIRRELBIN_SERVER: undefined } });
    expect(viaSaved.code).toBe(3);
    expect(viaSaved.stderr).toContain(dead);
    const overridden = await saved.cli(['ls', '--mine', '--json'], { env: { SQUIRRELBIN_KEY: other.key } });
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(overridden.json<AcornList>().items.map((item) => item.id)).toEqual([mine.id]);
    const pushed = await saved.cli(['push', await source(saved.file('x.js'), '2'), '--json'], {
      env: { SQUIRRELBIN_KEY: other.key },
    });
    expect(pushed.json<Acorn>().ownerId).toBe(other.id);
  });
});

/** Writes a source file and returns its path. */
async function source(path: string, code: string): Promise<string> {
  await writeFile(path, code);
  return path;
}

describe('run', () => {
  let user: Awaited<ReturnType<typeof loggedInUser>>;
  beforeAll(async () => {
    user = await loggedInUser();
  });

  it('runs a file: logs (warnings on stderr) then the value; --input as JSON or @file', async () => {
    const file = await source(
      user.file('hello.js'),
      'console.log("hi", input.name);\nconsole.warn("careful");\n({ n: input.n * 2 })',
    );
    await writeFile(user.file('input.json'), '{"name":"nut","n":21}');
    const [inline, fromFile] = await Promise.all([
      user.cli(['run', file, '--input', '{"name":"nut","n":21}']),
      user.cli(['run', file, '--input', `@${user.file('input.json')}`]),
    ]);
    for (const result of [inline, fromFile]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('hi nut\n{\n  "n": 42\n}\n');
      expect(result.stderr).toBe('careful\n');
    }
  });

  it('a .ts file runs as TypeScript, anything else as JavaScript; strings print as they are', async () => {
    const ts = await source(
      user.file('typed.ts'),
      'const greet = (name: string): string => "hello " + name;\ngreet("ts")',
    );
    const js = await source(user.file('typed.mjs'), 'const n: number = 1;');
    const [typed, untyped] = await Promise.all([user.cli(['run', ts]), user.cli(['run', js, '--json'])]);
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toBe('hello ts\n');
    expect(untyped.code).toBe(1);
    expect(untyped.json<RunResult>()).toMatchObject({ status: 'error', error: { name: 'SyntaxError' } });
  });

  it('--json prints the run result alone; a failed run exits 1 with the error and its line on stderr', async () => {
    const file = await source(user.file('fail.js'), 'console.log("before");\nnull.boom');
    const [human, json] = await Promise.all([user.cli(['run', file]), user.cli(['run', file, '--json'])]);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('before\n');
    expect(human.stderr).toContain("TypeError: Cannot read properties of null (reading 'boom') (line 2:");
    expect(json.code).toBe(1);
    expect(json.json<RunResult>()).toMatchObject({ status: 'error', logs: [{ message: 'before' }] });
    expect(json.stderr).toBe('');
  });

  it('--timeout sets the deadline: a run past it exits 1 as a timeout; a bad value is a usage error', async () => {
    const file = await source(user.file('slow.js'), 'await new Promise((r) => setTimeout(r, 2000)); 1');
    const [timedOut, badValue, tooLow] = await Promise.all([
      user.cli(['run', file, '--timeout', '100', '--json']),
      user.cli(['run', file, '--timeout', 'soon']),
      user.cli(['run', file, '--timeout', '5']),
    ]);
    expect(timedOut.code).toBe(1);
    expect(timedOut.json<RunResult>().status).toBe('timeout');
    expect(timedOut.json<RunResult>().wallMs).toBeLessThan(1500);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("option '--timeout <ms>' argument 'soon' is invalid");
    expect(tooLow.code).toBe(2);
  });

  it('--stream prints each log line as it happens', async () => {
    const file = await source(
      user.file('stream.js'),
      'console.log("first"); await new Promise((r) => setTimeout(r, 1500)); console.log("second"); "done"',
    );
    const result = await user.cli(['run', file, '--stream', '--timeout', '5000']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('first\nsecond\ndone\n');
    expect(result.firstOutputMs!).toBeLessThan(result.ms - 1000);
    const json = await user.cli(['run', file, '--stream', '--timeout', '5000', '--json']);
    expect(json.json<RunResult>().logs.map((entry) => entry.message)).toEqual(['first', 'second']);
  });

  it('runs a saved acorn by id; an unknown id is exit 3; neither a file nor an id is exit 2', async () => {
    const acorn = await user.client.createAcorn({
      title: 'saved',
      language: 'javascript',
      code: 'input ?? "no input"',
      visibility: 'private',
    });
    const [saved, withInput, missing, neither, badInput] = await Promise.all([
      user.cli(['run', acorn.id]),
      user.cli(['run', acorn.id, '--input', '"given"', '--json']),
      user.cli(['run', 'AAAAAAAAAAAAAAAAAAAAAA']),
      user.cli(['run', 'no-such-file.js']),
      user.cli(['run', acorn.id, '--input', '{nope']),
    ]);
    expect(saved.stdout).toBe('no input\n');
    expect(withInput.json<RunResult>().value).toBe('given');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('404 acorn-not-found');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('no such file, and not an acorn id: no-such-file.js');
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain('--input is not valid JSON');
  });

  it('relative file names are the caller’s: the current directory, or npm’s INIT_CWD under `npm run cli`', async () => {
    await source(user.file('here.js'), '"from here"');
    const [plain, viaNpm] = await Promise.all([
      user.cli(['run', 'here.js'], { cwd: user.home }),
      user.cli(['run', 'here.js'], { env: { npm_lifecycle_event: 'cli', INIT_CWD: user.home } }),
    ]);
    expect(plain.stdout).toBe('from here\n');
    expect(viaNpm.stdout).toBe('from here\n');
  });
});

describe('push, pull, ls, fork', () => {
  let user: Awaited<ReturnType<typeof loggedInUser>>;
  beforeAll(async () => {
    user = await loggedInUser();
  });

  it('push creates an acorn (title from the file name by default) and prints it with --json', async () => {
    const file = await source(user.file('adder.ts'), 'export default (input: { a: number }) => input.a + 1;');
    const plain = await user.cli(['push', file, '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.json<Acorn>()).toMatchObject({
      title: 'adder.ts',
      language: 'typescript',
      visibility: 'public',
      endpoint: false,
      version: 1,
      ownerId: user.id,
      code: 'export default (input: { a: number }) => input.a + 1;',
    });
    const full = await user.cli([
      'push',
      file,
      '--title',
      'Adder',
      '--description',
      'adds one',
      '--visibility',
      'unlisted',
      '--endpoint',
    ]);
    expect(full.code, full.stderr).toBe(0);
    const id = /Created (\S+)/.exec(full.stdout)![1]!;
    expect(await user.client.getAcorn(id)).toMatchObject({
      title: 'Adder',
      description: 'adds one',
      visibility: 'unlisted',
      endpoint: true,
    });
    expect(full.stdout).toContain(`${server.url}/x/${id}`);
    const bad = await user.cli(['push', file, '--visibility', 'secret']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'secret' is invalid");
    const missing = await user.cli(['push', user.file('nope.js')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('push --id updates with If-Match of the version last pushed or pulled', async () => {
    const file = await source(user.file('counter.js'), '1');
    const created = (await user.cli(['push', file, '--json'])).json<Acorn>();
    await writeFile(file, '2');
    const updated = await user.cli(['push', file, '--id', created.id, '--title', 'Counter', '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json<Acorn>()).toMatchObject({ id: created.id, version: 2, code: '2', title: 'Counter' });
    await writeFile(file, '3');
    const again = await user.cli(['push', file, '--id', created.id, '--no-endpoint']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('version 3');
    const state = JSON.parse(await readFile(join(user.configHome, 'squirrelbin', 'state.json'), 'utf8'));
    expect(state.acorns[created.id]).toMatchObject({ version: 3 });
    expect((await stat(join(user.configHome, 'squirrelbin', 'state.json'))).mode & 0o777).toBe(0o600);
  });

  it('a stale copy is refused (exit 3) with the conflict explained, and nothing is overwritten', async () => {
    const file = await source(user.file('shared.js'), '"mine v1"');
    const created = (await user.cli(['push', file, '--json'])).json<Acorn>();
    // Someone else (the same key, elsewhere) saves version 2 meanwhile.
    await user.client.updateAcorn(created.id, { code: '"theirs v2"' }, { ifMatch: 1 });
    await writeFile(file, '"mine v2"');
    const stale = await user.cli(['push', file, '--id', created.id]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain(`acorn ${created.id} changed since this copy`);
    expect(stale.stderr).toContain('version 1, the server has version 2');
    expect(stale.stderr).toContain('Nothing was overwritten');
    const staleJson = await user.cli(['push', file, '--id', created.id, '--json']);
    expect(staleJson.code).toBe(3);
    expect(staleJson.json()).toMatchObject({ status: 412, currentVersion: 2 });
    expect((await user.client.getAcorn(created.id)).code).toBe('"theirs v2"');

    // Pulling theirs makes this copy current again.
    const pulled = await user.cli(['pull', created.id, '-o', user.file('theirs.js')]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const merged = await user.cli(['push', file, '--id', created.id, '--json']);
    expect(merged.json<Acorn>()).toMatchObject({ version: 3, code: '"mine v2"' });
  });

  it('push --id without a known version, or on someone else’s acorn, is exit 3', async () => {
    const stranger = await loggedInUser();
    const theirs = await stranger.client.createAcorn({
      title: 't',
      language: 'javascript',
      code: '1',
      visibility: 'public',
    });
    const file = await source(user.file('other.js'), '2');
    const unknown = await user.cli(['push', file, '--id', theirs.id]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(`no version of acorn ${theirs.id} is known here`);
    await user.cli(['pull', theirs.id]);
    const forbidden = await user.cli(['push', file, '--id', theirs.id]);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toContain('403 forbidden');
  });

  it('pull writes the code to stdout or -o FILE, --json prints the acorn; an unknown id is exit 3', async () => {
    const acorn = await user.client.createAcorn({
      title: 'Pulled',
      language: 'javascript',
      code: 'const x = 1;\nx\n',
      visibility: 'public',
    });
    const [toStdout, asJson, missing] = await Promise.all([
      user.cli(['pull', acorn.id]),
      user.cli(['pull', acorn.id, '--json']),
      user.cli(['pull', 'AAAAAAAAAAAAAAAAAAAAAA']),
    ]);
    expect(toStdout.stdout).toBe(acorn.code);
    expect(asJson.json<Acorn>()).toEqual(acorn);
    expect(missing.code).toBe(3);
    const toFile = await user.cli(['pull', acorn.id, '-o', user.file('pulled.js')]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(await readFile(user.file('pulled.js'), 'utf8')).toBe(acorn.code);
    const nowhere = await user.cli(['pull', acorn.id, '-o', user.file('no/such/dir/x.js')]);
    expect(nowhere.code).toBe(2);
  });

  it('ls lists public acorns, --mine your own, -q searches, --limit pages; --json is {items, nextCursor}', async () => {
    const lister = await loggedInUser();
    const made: Acorn[] = [];
    for (const [title, visibility] of [
      ['Walnut one', 'public'],
      ['Walnut two', 'private'],
      ['Hazel', 'public'],
    ] as const) {
      made.push(await lister.client.createAcorn({ title, language: 'javascript', code: '1', visibility }));
    }
    const [mine, firstTwo, search, human, badLimit, anonymous] = await Promise.all([
      lister.cli(['ls', '--mine', '--json']),
      lister.cli(['ls', '--mine', '--limit', '2', '--json']),
      lister.cli(['ls', '-q', 'Walnut', '--json']),
      lister.cli(['ls', '--mine', '--limit', '2']),
      lister.cli(['ls', '--limit', '0']),
      lister.cli(['ls', '--mine'], { env: { XDG_CONFIG_HOME: join(lister.home, 'empty') } }),
    ]);
    expect(mine.json<AcornList>().items.map((item) => item.title)).toEqual(['Hazel', 'Walnut two', 'Walnut one']);
    expect(mine.json<AcornList>().nextCursor).toBeNull();
    const page = firstTwo.json<AcornList>();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await lister.cli(['ls', '--mine', '--cursor', page.nextCursor!, '--json']);
    expect(rest.json<AcornList>().items.map((item) => item.title)).toEqual(['Walnut one']);
    expect(search.json<AcornList>().items.map((item) => item.id)).toEqual([made[0]!.id]);
    expect(human.stdout).toMatch(/^ID\s+TITLE\s+LANG\s+VISIBILITY\s+UPDATED/);
    expect(human.stdout).toContain(made[2]!.id);
    expect(human.stdout).toContain('more: squirrelbin ls --mine --limit 2 --cursor ');
    expect(badLimit.code).toBe(2);
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toContain('401 unauthenticated');
    expect(anonymous.stderr).toContain('squirrelbin login');
  });

  it('ls --limit above 100 reads page after page', async () => {
    const result = await user.cli(['ls', '--limit', '150', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const list = result.json<AcornList>();
    expect(list.items.length).toBeLessThanOrEqual(150);
    expect(new Set(list.items.map((item) => item.id)).size).toBe(list.items.length);
  });

  it('fork copies into your own, with --title; the fork can be pushed to at once', async () => {
    const author = await loggedInUser();
    const original = await author.client.createAcorn({
      title: 'Original',
      language: 'javascript',
      code: '"original"',
      visibility: 'public',
    });
    const [plain, titled, missing] = await Promise.all([
      user.cli(['fork', original.id]),
      user.cli(['fork', original.id, '--title', 'My copy', '--json']),
      user.cli(['fork', 'AAAAAAAAAAAAAAAAAAAAAA']),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`Forked ${original.id} into`);
    const fork = titled.json<Acorn>();
    expect(fork).toMatchObject({ title: 'My copy', forkOf: original.id, ownerId: user.id, code: '"original"' });
    expect(missing.code).toBe(3);
    const file = await source(user.file('fork.js'), '"changed"');
    const pushed = await user.cli(['push', file, '--id', fork.id, '--json']);
    expect(pushed.json<Acorn>()).toMatchObject({ id: fork.id, version: 2 });
  });
});

describe('call', () => {
  let user: Awaited<ReturnType<typeof loggedInUser>>;
  let endpointId: string;
  beforeAll(async () => {
    user = await loggedInUser();
    const acorn = await user.client.createAcorn({
      title: 'Echo',
      language: 'javascript',
      visibility: 'public',
      endpoint: true,
      code: `export default async (req) => {
        const url = new URL(req.url);
        if (url.pathname.endsWith('/teapot')) return new Response('short and stout', { status: 418, headers: { 'x-pot': 'tea' } });
        if (url.pathname.endsWith('/throw')) throw new Error('boom');
        return Response.json({ method: req.method, path: url.pathname, query: url.search, a: req.headers.get('x-a'),
          b: req.headers.get('x-b'), type: req.headers.get('content-type'), auth: req.headers.get('authorization'),
          body: req.method === 'GET' ? null : await req.text() });
      };`,
    });
    endpointId = acorn.id;
  });

  it('GET with a path and query prints the body; the key is never sent', async () => {
    const result = await user.cli(['call', endpointId, '/users/7?x=1']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      method: 'GET',
      path: `/x/${endpointId}/users/7`,
      query: '?x=1',
      a: null,
      b: null,
      type: null,
      auth: null,
      body: null,
    });
  });

  it('-X, repeated -H and -d (text, @file, @- for stdin); -d alone means POST', async () => {
    await writeFile(user.file('body.json'), '{"from":"file"}');
    const [put, fromFile, fromStdin] = await Promise.all([
      user.cli(['call', endpointId, 'things', '-X', 'put', '-H', 'X-A: one', '-H', 'x-b:two', '-d', 'hello']),
      user.cli(['call', endpointId, '-d', `@${user.file('body.json')}`, '-H', 'Content-Type: application/json']),
      user.cli(['call', endpointId, '-X', 'PATCH', '-d', '@-'], { stdin: 'piped in' }),
    ]);
    expect(JSON.parse(put.stdout)).toMatchObject({
      method: 'PUT',
      path: `/x/${endpointId}/things`,
      a: 'one',
      b: 'two',
      body: 'hello',
    });
    expect(JSON.parse(fromFile.stdout)).toMatchObject({
      method: 'POST',
      type: 'application/json',
      body: '{"from":"file"}',
    });
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ method: 'PATCH', body: 'piped in' });
  });

  it('-i adds the status line and headers; a non-2xx answer exits 1; --json is {status, headers, body}', async () => {
    const [included, asJson, failed] = await Promise.all([
      user.cli(['call', endpointId, '/teapot', '-i']),
      user.cli(['call', endpointId, '/teapot', '--json']),
      user.cli(['call', endpointId, '/throw', '--json']),
    ]);
    expect(included.code).toBe(1);
    expect(included.stdout).toMatch(/^HTTP 418 I'm a Teapot\r\n/);
    expect(included.stdout).toContain('x-pot: tea\r\n');
    expect(included.stdout).toContain('x-run-status: ok\r\n');
    expect(included.stdout).toMatch(/\r\n\r\nshort and stout$/);
    expect(included.stderr).toContain('the endpoint answered 418');
    expect(asJson.code).toBe(1);
    expect(asJson.json()).toMatchObject({
      status: 418,
      headers: { 'x-pot': 'tea', 'x-run-status': 'ok' },
      body: 'short and stout',
      bodyEncoding: 'utf8',
    });
    expect(failed.code).toBe(1);
    expect(failed.json()).toMatchObject({ status: 502, headers: { 'x-run-status': 'error' } });
  });

  it('not an endpoint is exit 3; a bad header or a GET body is a usage error', async () => {
    const plain = await user.client.createAcorn({
      title: 'plain',
      language: 'javascript',
      code: '1',
      visibility: 'public',
    });
    const [notServed, badHeader, getBody, missingFile] = await Promise.all([
      user.cli(['call', plain.id]),
      user.cli(['call', endpointId, '-H', 'no colon here']),
      user.cli(['call', endpointId, '-X', 'GET', '-d', 'x']),
      user.cli(['call', endpointId, '-d', '@/no/such/file']),
    ]);
    expect(notServed.code, notServed.stderr).toBe(3);
    expect(notServed.stderr).toContain('404 endpoint-not-found');
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toContain("expected 'Name: value'");
    expect(getBody.code).toBe(2);
    expect(missingFile.code).toBe(2);
  });
});

describe('load', () => {
  let user: Awaited<ReturnType<typeof loggedInUser>>;
  beforeAll(async () => {
    user = await loggedInUser();
  });

  async function acorn(client: SquirrelBinClient, code: string) {
    return client.createAcorn({ title: 'load', language: 'javascript', code, visibility: 'public' });
  }

  it('starts a load job, waits for it, and prints the finished job with --json', async () => {
    const target = await acorn(user.client, 'input.n * 2');
    const result = await user.cli(['load', target.id, '-n', '12', '-c', '3', '--input', '{"n":2}', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const job = result.json<Job>();
    expect(job).toMatchObject({
      acornId: target.id,
      kind: 'load',
      status: 'succeeded',
      total: 12,
      done: 12,
      concurrency: 3,
      counts: { ok: 12, error: 0 },
    });
    const results = await user.client.listJobResults(job.id);
    expect(results.items.map((item) => item.value)).toEqual(Array(12).fill(4));
  });

  it('prints a summary; runs that fail make it exit 1 and are listed', async () => {
    const flaky = await acorn(user.client, 'if (input.fail) throw new RangeError("no luck"); 1');
    const ok = await user.cli(['load', flaky.id, '-n', '4', '-c', '2', '--input', '{"fail":false}']);
    const failing = await user.cli(['load', flaky.id, '-n', '3', '-c', '1', '--input', '{"fail":true}']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/succeeded: 4\/4 runs/);
    expect(ok.stdout).toContain('ok 4 · error 0');
    expect(ok.stdout).toMatch(/wall\s+p50/);
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toContain('error 3');
    expect(failing.stdout).toContain('RangeError: no luck');
    expect(failing.stderr).toContain('3 of 3 runs did not end ok');
  });

  it('bad counts are usage errors; an unknown acorn, no key, or too many active jobs is exit 3', async () => {
    const target = await acorn(user.client, '1');
    const anonymous = await newUser();
    const [zero, tooMany, missingConcurrency, unknown, noKey] = await Promise.all([
      user.cli(['load', target.id, '-n', '0', '-c', '1']),
      user.cli(['load', target.id, '-n', '10', '-c', '51']),
      user.cli(['load', target.id, '-n', '10']),
      user.cli(['load', 'AAAAAAAAAAAAAAAAAAAAAA', '-n', '1', '-c', '1']),
      anonymous.cli(['load', target.id, '-n', '1', '-c', '1']),
    ]);
    expect(zero.code).toBe(2);
    expect(tooMany.code).toBe(2);
    expect(missingConcurrency.code).toBe(2);
    expect(missingConcurrency.stderr).toContain("required option '-c, --concurrency <c>' not specified");
    expect(unknown.code).toBe(3);
    expect(noKey.code).toBe(3);

    const busy = await loggedInUser();
    const slow = await acorn(busy.client, 'await new Promise((r) => setTimeout(r, 200)); 1');
    const held = [
      await busy.client.createJob(slow.id, { kind: 'load', iterations: 500, concurrency: 1 }),
      await busy.client.createJob(slow.id, { kind: 'load', iterations: 500, concurrency: 1 }),
    ];
    try {
      const refused = await busy.cli(['load', slow.id, '-n', '1', '-c', '1', '--json']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('429 too-many-jobs');
      expect(refused.json()).toMatchObject({ status: 429 });
    } finally {
      for (const job of held) await busy.client.cancelJob(job.id);
    }
  });

  it('Ctrl-C cancels the job, prints where it got, and exits 130', async () => {
    const slow = await acorn(user.client, 'await new Promise((r) => setTimeout(r, 100)); 1');
    const result = await user.cli(['load', slow.id, '-n', '500', '-c', '1'], {
      onStderr: { text: 'runs of', act: (kill) => setTimeout(() => kill('SIGINT'), 300) },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('cancelling the job');
    expect(result.stdout).toMatch(/cancelled: \d+\/500 runs/);
    const jobId = /job (\S+): 500 runs/.exec(result.stderr)![1]!;
    expect((await user.client.getJob(jobId)).status).toBe('cancelled');
  });

  it.skipIf(!hasScript)('on a terminal: a progress bar on stderr, colour unless NO_COLOR', async () => {
    const target = await acorn(user.client, 'await new Promise((r) => setTimeout(r, 20)); 1');
    const tty = await runCliOnTty(['load', target.id, '-n', '30', '-c', '2'], user.env);
    const noColor = await runCliOnTty(['load', target.id, '-n', '5', '-c', '2'], user.env, { NO_COLOR: '1' });
    const piped = await user.cli(['load', target.id, '-n', '5', '-c', '2']);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toContain('\r\x1b[2Kload ');
    expect(tty.stdout).toContain('100% 30/30');
    expect(tty.stdout).toContain('\x1b[32m');
    expect(noColor.stdout).toContain('\r\x1b[2Kload ');
    expect(noColor.stdout).not.toContain('\x1b[3');
    expect(piped.stdout + piped.stderr).not.toContain('\x1b[');
    expect(piped.stderr).not.toContain('\r');
  });
});
