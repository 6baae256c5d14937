/**
 * Where a run's error happened: a line of the code in the editor (a button that moves the cursor there), or a line
 * of an imported acorn (a link to that acorn; never marked on the editor's line of the same number).
 */
import type { RunError } from '@squirrelbin/schemas';
import { Link } from 'wouter';

/** A run error; `source` is set when it was thrown inside an imported acorn (`acorn:{id}@{version}`). */
export type LocatedRunError = RunError & { source?: string };

/** `acorn:{id}@{version}` (or `acorn:{id}`) → its parts; null for anything else. */
export function parseAcornSource(source: string): { id: string; version?: number } | null {
  const match = /^acorn:([^@\s/]+)(?:@(\d+))?$/.exec(source);
  if (!match) return null;
  return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, version: Number(match[2]) };
}

const lineText = (error: LocatedRunError) =>
  error.line === undefined ? '' : `line ${error.line}${error.column !== undefined ? `:${error.column}` : ''}`;

/** The location as plain text (for Copy): `line 3:5`, `in acorn:abc@2, line 3:5`, or empty. */
export function errorLocationText(error: LocatedRunError): string {
  if (!error.source) return lineText(error);
  return [`in ${error.source}`, lineText(error)].filter(Boolean).join(', ');
}

export function ErrorLocation({
  error,
  onLine,
}: {
  error: LocatedRunError;
  /** Moves the editor's cursor to the line; without it the line is text. */
  onLine?: (line: number, column?: number) => void;
}) {
  if (error.source) {
    const acorn = parseAcornSource(error.source);
    const line = lineText(error);
    return (
      <span className="run-error-source" data-testid="run-error-source">
        in{' '}
        {acorn ? (
          <Link href={`/a/${encodeURIComponent(acorn.id)}`} data-testid="run-error-source-link">
            {error.source}
          </Link>
        ) : (
          <code>{error.source}</code>
        )}
        {line ? `, ${line}` : ''}
      </span>
    );
  }
  if (error.line === undefined) return null;
  if (!onLine) return <span>{lineText(error)}</span>;
  return (
    <button
      type="button"
      className="link-button"
      data-testid="run-error-line"
      onClick={() => onLine(error.line!, error.column)}
    >
      {lineText(error)}
    </button>
  );
}
