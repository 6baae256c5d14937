import type { Acorn } from '@squirrelbin/schemas';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { changedFields, type DraftFields, fieldsOf } from '../draft';
import type { Conflict } from '../hooks/use-acorn-draft';

export interface ConflictPanelProps {
  conflict: Conflict;
  mine: DraftFields;
  /** The fields changed here: what "save mine" writes over the stored version. */
  changed: readonly (keyof DraftFields)[];
  /** The version the draft was made on. */
  baseVersion: number | undefined;
  saving?: boolean;
  onOverwrite: () => void;
  onTakeTheirs: () => void;
  onDismiss: () => void;
}

/** Someone saved this acorn after it was opened here: show both versions, lose nothing, let the user pick. */
export function ConflictPanel({
  conflict,
  mine,
  changed,
  baseVersion,
  saving = false,
  onOverwrite,
  onTakeTheirs,
  onDismiss,
}: ConflictPanelProps) {
  const theirs = conflict.theirs;
  return (
    <section className="conflict" role="alert" aria-labelledby="conflict-heading" data-testid="conflict-panel">
      <h2 id="conflict-heading">This acorn changed while you were editing</h2>
      <p>
        You edited version {baseVersion ?? '?'}, but version {theirs?.version ?? conflict.currentVersion ?? '?'} has
        been saved since. Nothing you typed is lost: compare the two and choose.
      </p>
      {conflict.loadError ? <ErrorMessage error={conflict.loadError} title="Could not load the saved version" /> : null}
      {!theirs && !conflict.loadError ? <Loading label="Loading the saved version…" /> : null}
      {theirs ? <Comparison mine={mine} theirs={theirs} /> : null}
      {theirs && changed.length > 0 ? (
        <p className="small">
          “Save mine” writes the fields you changed ({changed.join(', ')}) over version {theirs.version}; its other
          fields stay as saved.
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={onOverwrite}
          disabled={!theirs || saving}
          data-testid="conflict-overwrite"
        >
          Save mine over theirs
        </button>
        <button type="button" onClick={onTakeTheirs} disabled={!theirs || saving} data-testid="conflict-take-theirs">
          Discard mine, take theirs
        </button>
        <button type="button" onClick={onDismiss} disabled={saving}>
          Keep editing
        </button>
      </div>
    </section>
  );
}

function Comparison({ mine, theirs }: { mine: DraftFields; theirs: Acorn }) {
  const differing = Object.keys(changedFields(mine, fieldsOf(theirs))).filter((name) => name !== 'code');
  return (
    <>
      {differing.length > 0 ? (
        <p className="small">Also different from the saved version: {differing.join(', ')}.</p>
      ) : null}
      <div className="compare">
        <figure data-testid="conflict-mine">
          <figcaption>
            Yours (not saved): <strong>{mine.title}</strong>
          </figcaption>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard. */}
          <pre className="code-block" tabIndex={0}>
            {mine.code}
          </pre>
        </figure>
        <figure data-testid="conflict-theirs">
          <figcaption>
            Saved version {theirs.version}: <strong>{theirs.title}</strong>
          </figcaption>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard. */}
          <pre className="code-block" tabIndex={0}>
            {theirs.code}
          </pre>
        </figure>
      </div>
    </>
  );
}
