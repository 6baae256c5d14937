import { describe, expect, it } from 'vitest';
import { Output, printable, type Stream } from './output.ts';

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  const target: Stream & { text: () => string } = {
    isTTY,
    columns: 60,
    write: (chunk: string | Uint8Array) => chunks.push(String(chunk)),
    text: () => chunks.join(''),
  };
  return target;
};

describe('output', () => {
  it('colours a stream only when it is a terminal and NO_COLOR is not set', () => {
    const tty = new Output({ stdout: stream(true), stderr: stream(false) }, { json: false, noColor: false });
    expect(tty.out('red', 'x')).toBe('\x1b[31mx\x1b[39m');
    expect(tty.err('red', 'x')).toBe('x');
    const noColor = new Output({ stdout: stream(true), stderr: stream(true) }, { json: false, noColor: true });
    expect(noColor.out('red', 'x')).toBe('x');
  });

  it('draws the progress bar on a terminal only, on one line it clears at the end', () => {
    const terminal = stream(true);
    const bar = new Output({ stdout: stream(false), stderr: terminal }, { json: false, noColor: true }).progress(
      'load',
    );
    bar.update(5, 10, '3.0 runs/s');
    bar.done();
    // 60 columns leave a 30-cell bar: half of it filled.
    expect(terminal.text()).toBe(`\r\x1b[2Kload ${'█'.repeat(15)}${'░'.repeat(15)}  50% 5/10 3.0 runs/s\r\x1b[2K`);
    const piped = stream(false);
    const silent = new Output({ stdout: stream(false), stderr: piped }, { json: false, noColor: false }).progress(
      'load',
    );
    silent.update(1, 2);
    silent.done();
    expect(piped.text()).toBe('');
  });

  it('human lines are left out with --json; titles lose their control characters', () => {
    const stdout = stream(false);
    const out = new Output({ stdout, stderr: stream(false) }, { json: true, noColor: false });
    out.line('hello');
    out.document({ a: 1 });
    expect(JSON.parse(stdout.text())).toEqual({ a: 1 });
    expect(printable('Nut\x1b]0;pwned\x07!\n')).toBe('Nut\ufffd]0;pwned\ufffd!\ufffd');
  });
});
