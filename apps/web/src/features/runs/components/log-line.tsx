import type { LogEntry } from '@squirrelbin/schemas';

/**
 * One console entry of a run. Every log line in the output renders through here, so richer forms of a message
 * (expandable objects, tables) change this component only.
 */
export function LogLine({ entry, ...listItem }: { entry: LogEntry } & React.LiHTMLAttributes<HTMLLIElement>) {
  return (
    // The list item's own attributes (position in a windowed list) pass through.
    <li {...listItem} className={`log log-${entry.level}`} data-level={entry.level}>
      <span className="log-level">{entry.level}</span>
      <span className="log-time muted">+{Math.round(entry.t)} ms</span>
      <pre className="log-message">{entry.message}</pre>
    </li>
  );
}

/** The plain-text form of a log entry, as copied from the output. */
export function logLineText(entry: LogEntry): string {
  return `[${entry.level}] +${Math.round(entry.t)}ms ${entry.message}`;
}
