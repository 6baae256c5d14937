import { describe, expect, it } from 'vitest';
import { buildProgram, protectDashIds } from './cli.ts';
import type { CliContext } from './session.ts';

const context: CliContext = {
  settings: { server: undefined, key: undefined, configDir: '/nowhere', noColor: true, cwd: '/' },
  io: { stdout: { write: () => true }, stderr: { write: () => true } },
  stdin: async () => new Uint8Array(),
  version: '0.0.0',
  current: {},
};
const program = buildProgram(context);
const protect = (...args: string[]) => protectDashIds(args, program);
const id = '-dAbCdEfGhIjKlMnOpQr';

describe('ids that start with a dash', () => {
  it('move behind -- with the arguments in order, options (and their values) kept before', () => {
    expect(protect('call', id, '/path', '-i', '-H', 'X-A: 1', '-d', '-body-')).toEqual([
      'call',
      '-i',
      '-H',
      'X-A: 1',
      '-d',
      '-body-',
      '--',
      id,
      '/path',
    ]);
    expect(protect('load', '-n', '5', id, '-c', '2')).toEqual(['load', '-n', '5', '-c', '2', '--', id]);
    expect(protect('run', id, '--input', '{"a":1}', '--json')).toEqual([
      'run',
      '--input',
      '{"a":1}',
      '--json',
      '--',
      id,
    ]);
  });

  it('leaves everything else as it was', () => {
    expect(protect('call', 'AbCdEfGhIjKlMnOpQrSt', '-XPUT', '-d', 'x')).toEqual([
      'call',
      'AbCdEfGhIjKlMnOpQrSt',
      '-XPUT',
      '-d',
      'x',
    ]);
    expect(protect('pull', '--', id)).toEqual(['pull', '--', id]);
    expect(protect('push', 'file.js', '--id', id)).toEqual(['push', 'file.js', '--id', id]);
    expect(protect('ls', '--cursor', id)).toEqual(['ls', '--cursor', id]);
    expect(protect('pull', '--nope')).toEqual(['pull', '--nope']);
    expect(protect('frob', id)).toEqual(['frob', id]);
  });
});
