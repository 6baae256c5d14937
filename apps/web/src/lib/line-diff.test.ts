import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff';

const render = (before: string, after: string) =>
  diffLines(before, after).map((line) => `${{ same: ' ', removed: '-', added: '+' }[line.kind]}${line.text}`);

describe('diffLines', () => {
  it('keeps equal texts as unchanged lines', () => {
    expect(render('a\nb', 'a\nb')).toEqual([' a', ' b']);
  });

  it('marks a changed line as removed then added, between unchanged context', () => {
    expect(render('a\nb\nc', 'a\nB\nc')).toEqual([' a', '-b', '+B', ' c']);
  });

  it('finds insertions and deletions in the middle', () => {
    expect(render('one\ntwo\nthree\nfour', 'one\nthree\nthree and a half\nfour')).toEqual([
      ' one',
      '-two',
      ' three',
      '+three and a half',
      ' four',
    ]);
  });

  it('numbers lines on both sides', () => {
    const lines = diffLines('x\ny', 'w\nx\ny');
    expect(lines[0]).toEqual({ kind: 'added', text: 'w', newLine: 1 });
    expect(lines[1]).toEqual({ kind: 'same', text: 'x', oldLine: 1, newLine: 2 });
    expect(lines[2]).toEqual({ kind: 'same', text: 'y', oldLine: 2, newLine: 3 });
  });

  it('handles an empty side', () => {
    expect(render('', 'a')).toEqual(['-', '+a']);
  });
});
