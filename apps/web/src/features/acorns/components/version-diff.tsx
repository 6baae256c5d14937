/** A unified, syntax-highlighted diff of two versions of an acorn's code. */
import { javascriptLanguage, typescriptLanguage } from '@codemirror/lang-javascript';
import { classHighlighter, highlightCode } from '@lezer/highlight';
import type { Language } from '@squirrelbin/schemas';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { type DiffLine, diffLines } from '../../../lib/line-diff';

export interface DiffSide {
  label: string;
  code: string;
}

type Segment = [text: string, classes: string];

/** The code split into lines of highlighted segments (classes from @lezer/highlight's classHighlighter). */
function highlightLines(code: string, language: Language): Segment[][] {
  const parser = (language === 'typescript' ? typescriptLanguage : javascriptLanguage).parser;
  const lines: Segment[][] = [[]];
  highlightCode(
    code,
    parser.parse(code),
    classHighlighter,
    (text, classes) => lines.at(-1)!.push([text, classes]),
    () => lines.push([]),
  );
  return lines;
}

const context = 3;

type Row = DiffLine | { kind: 'gap'; from: number; count: number };

/** Long runs of unchanged lines fold away, keeping a few lines of context around each change. */
function foldUnchanged(lines: DiffLine[], open: ReadonlySet<number>): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.kind !== 'same') {
      rows.push(lines[i++]!);
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end]!.kind === 'same') end++;
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = end === lines.length ? 0 : context;
    if (end - i > keepBefore + keepAfter + 2 && !open.has(i)) {
      rows.push(...lines.slice(i, i + keepBefore));
      rows.push({ kind: 'gap', from: i, count: end - i - keepBefore - keepAfter });
      rows.push(...lines.slice(end - keepAfter, end));
    } else {
      rows.push(...lines.slice(i, end));
    }
    i = end;
  }
  return rows;
}

export function VersionDiff({ before, after, language }: { before: DiffSide; after: DiffSide; language: Language }) {
  const id = useId();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const lines = useMemo(() => diffLines(before.code, after.code), [before.code, after.code]);
  const oldTokens = useMemo(() => highlightLines(before.code, language), [before.code, language]);
  const newTokens = useMemo(() => highlightLines(after.code, language), [after.code, language]);
  const added = lines.filter((line) => line.kind === 'added').length;
  const removed = lines.filter((line) => line.kind === 'removed').length;
  const rows = foldUnchanged(lines, open);

  const code = (line: DiffLine): ReactNode => {
    const segments = line.kind === 'added' ? newTokens[line.newLine - 1] : oldTokens[line.oldLine - 1];
    if (!segments) return line.text;
    // Segments of a line never reorder, so their position is a stable key.
    return segments.map(([text, classes], index) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: see above
      <span key={index} className={classes || undefined}>
        {text}
      </span>
    ));
  };

  return (
    <figure className="diff" data-testid="version-diff">
      <figcaption id={`${id}-caption`}>
        {before.label} → {after.label}:{' '}
        {added === 0 && removed === 0 ? (
          'the code is the same.'
        ) : (
          <>
            <span className="diff-count-added">{added} added</span>,{' '}
            <span className="diff-count-removed">{removed} removed</span> lines.
          </>
        )}
      </figcaption>
      <section
        className="diff-scroll"
        aria-labelledby={`${id}-caption`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard.
        tabIndex={0}
      >
        <table className="diff-table">
          <tbody>
            {rows.map((row) =>
              row.kind === 'gap' ? (
                <tr key={`gap-${row.from}`} className="diff-gap">
                  <td colSpan={4}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setOpen((current) => new Set(current).add(row.from))}
                    >
                      Show {row.count} unchanged lines
                    </button>
                  </td>
                </tr>
              ) : (
                <tr
                  key={`${row.kind}-${'oldLine' in row ? row.oldLine : ''}-${'newLine' in row ? row.newLine : ''}`}
                  className={`diff-${row.kind}`}
                  data-kind={row.kind}
                >
                  <td className="diff-ln">{'oldLine' in row ? row.oldLine : ''}</td>
                  <td className="diff-ln">{'newLine' in row ? row.newLine : ''}</td>
                  <td className="diff-mark">
                    <span aria-hidden="true">{row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ' '}</span>
                    <span className="visually-hidden">
                      {row.kind === 'added' ? 'added' : row.kind === 'removed' ? 'removed' : ''}
                    </span>
                  </td>
                  <td className="diff-code">
                    <code>{code(row)}</code>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </section>
    </figure>
  );
}
