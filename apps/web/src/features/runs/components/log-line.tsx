import type { LogEntry } from '@squirrelbin/schemas';
import { useId, useState } from 'react';
import { isExpandable, ValueNode } from './inspected-value';

/**
 * One console entry of a run. Every log line in the output renders through here.
 *
 * The text `message` is always the line's face (and what Copy takes): old servers send nothing else. When the
 * sandbox also sent structured `values` (the object arguments), a disclosure button before the message opens them
 * as trees; a `table` (console.table) is drawn as an HTML table instead of its text rendering (Copy keeps the
 * text); `depth` (console.group) indents the line. In a windowed (very long) log, a line scrolled far out of view
 * and back starts closed again.
 */
export function LogLine({ entry, ...listItem }: { entry: LogEntry } & React.LiHTMLAttributes<HTMLLIElement>) {
  const depth = entry.depth ?? 0;
  return (
    // The list item's own attributes (position in a windowed list) pass through.
    <li
      {...listItem}
      className={`log log-${entry.level}`}
      data-level={entry.level}
      data-depth={depth || undefined}
      style={depth ? ({ '--depth': depth } as React.CSSProperties) : undefined}
    >
      <span className="log-level">{entry.level}</span>
      <span className="log-time muted">+{Math.round(entry.t)} ms</span>
      <div className="log-body">
        {entry.table ? <LogTable table={entry.table} /> : <LogMessage entry={entry} depth={depth} />}
      </div>
    </li>
  );
}

function LogMessage({ entry, depth }: { entry: LogEntry; depth: number }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const values = entry.values?.filter((value) => value.kind === 'object') ?? [];
  const message = <Message text={unindent(entry.message, depth)} id={`${id}-message`} />;
  if (values.length === 0) return message;
  const expandable = values.some(isExpandable);
  return (
    <>
      <div className="log-summary">
        {expandable ? (
          <button
            type="button"
            className="log-expand"
            aria-expanded={open}
            aria-controls={open ? `${id}-values` : undefined}
            aria-label={
              values.length === 1 ? 'Inspect the logged object' : `Inspect the ${values.length} logged objects`
            }
            aria-describedby={`${id}-message`}
            onClick={() => setOpen(!open)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' && !open) setOpen(true);
              else if (event.key === 'ArrowLeft' && open) setOpen(false);
              else return;
              event.preventDefault();
            }}
            data-testid="log-expand"
          >
            <span className="iv-triangle" aria-hidden="true" />
          </button>
        ) : null}
        {message}
      </div>
      {open ? (
        <div className="log-values" id={`${id}-values`} data-testid="log-values">
          {values.map((value, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the arguments of one call never move.
            <ValueNode key={index} value={value} defaultOpen />
          ))}
        </div>
      ) : null}
    </>
  );
}

/** The message as text; stack frames (`    at …` lines of a logged error) are set apart from the message itself. */
function Message({ text, id }: { text: string; id: string }) {
  const lines = text.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  if (firstFrame <= 0) {
    return (
      <pre className="log-message" id={id}>
        {text}
      </pre>
    );
  }
  return (
    <pre className="log-message" id={id}>
      {lines.slice(0, firstFrame).join('\n')}
      {'\n'}
      <span className="log-stack" data-testid="log-stack">
        {lines.slice(firstFrame).join('\n')}
      </span>
    </pre>
  );
}

/**
 * A server that also indents grouped lines' text (as Node's console does) would be indented twice: the line's
 * depth already indents it, so that leading indentation is dropped from the face (Copy keeps the text as sent).
 */
function unindent(text: string, depth: number): string {
  if (depth === 0) return text;
  const indent = ' '.repeat(depth * 2);
  const lines = text.split('\n');
  return lines.every((line) => line.startsWith(indent) || line === '')
    ? lines.map((line) => line.slice(indent.length)).join('\n')
    : text;
}

function LogTable({ table }: { table: NonNullable<LogEntry['table']> }) {
  const id = useId();
  return (
    // A wide table scrolls sideways inside the line; the scroller takes focus so the keyboard can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard.
    // biome-ignore lint/a11y/useSemanticElements: a named group around one table; a fieldset is for form controls.
    <div className="log-table-scroll" tabIndex={0} role="group" aria-labelledby={`${id}-caption`}>
      <table className="log-table" data-testid="log-table">
        <caption id={`${id}-caption`} className="visually-hidden">
          console.table, {table.rows.length} {table.rows.length === 1 ? 'row' : 'rows'}
        </caption>
        <thead>
          <tr>
            {table.columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional (two may share a name).
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, rowIndex) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a logged table never move.
            <tr key={rowIndex}>
              {row.map((cell, cellIndex) =>
                cellIndex === 0 ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                  <th key={cellIndex} scope="row">
                    {cell}
                  </th>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                  <td key={cellIndex}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The plain-text form of a log entry, as copied from the output. */
export function logLineText(entry: LogEntry): string {
  return `[${entry.level}] +${Math.round(entry.t)}ms ${entry.message}`;
}
