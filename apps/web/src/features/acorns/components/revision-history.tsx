import type { Acorn, Revision } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime } from '../../../lib/format-date';
import { getRevisionQueryOptions, useRevision } from '../api/get-revision';
import { useRevisions } from '../api/list-revisions';
import { acornKeys } from '../api/query-keys';
import { VersionDiff } from './version-diff';

export interface RevisionHistoryProps {
  /** The newest stored version known here. */
  acorn: Acorn;
  /** The version the editor's draft was made on (older than `acorn` after a conflict). */
  editingVersion: number;
  canRestore: boolean;
  restoring?: boolean;
  onRestore: (revision: Revision) => void;
}

/** Earlier versions of an acorn, newest first: each viewable and (for its owner) restorable, any two comparable. */
export function RevisionHistory({ acorn, editingVersion, canRestore, restoring, onRestore }: RevisionHistoryProps) {
  const acornId = acorn.id;
  const revisions = useRevisions(acornId);
  const [viewing, setViewing] = useState<number | null>(null);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const [comparing, setComparing] = useState<{ from: number; to: number } | null>(null);
  const queryClient = useQueryClient();
  const items = revisions.data?.pages.flatMap((page) => page.items) ?? [];
  const id = useId();

  // A new stored version moves the one before it into the history.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version is the trigger, not an input.
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: acornKeys.revisions(acornId) });
  }, [queryClient, acornId, acorn.version]);

  const restore = async (version: number) => {
    setRestoreError(null);
    try {
      onRestore(await queryClient.fetchQuery(getRevisionQueryOptions(acornId, version)));
    } catch (error) {
      setRestoreError(error);
    }
  };

  const versions = [acorn.version, ...items.map((revision) => revision.version)];
  const label = (version: number) =>
    version === acorn.version ? `version ${version} (current)` : `version ${version}`;

  return (
    <section className="revisions" aria-labelledby={`${id}-heading`} data-testid="revision-history">
      <h2 id={`${id}-heading`}>History</h2>
      <p className="muted small" data-testid="history-current">
        Current: version {acorn.version}.
        {editingVersion !== acorn.version ? ` Your changes were made on version ${editingVersion}.` : ''}
      </p>
      {revisions.isPending ? <Loading label="Loading history…" /> : null}
      {revisions.isError ? (
        <ErrorMessage error={revisions.error} title="Could not load the history" onRetry={() => revisions.refetch()} />
      ) : null}
      {revisions.isSuccess && items.length === 0 ? <p className="muted">No earlier versions yet.</p> : null}
      {restoreError ? <ErrorMessage error={restoreError} title="Could not restore" focus /> : null}
      <ul className="revision-list">
        {items.map((revision) => (
          <li key={revision.version} data-testid="revision-item">
            <span>
              v{revision.version} ·{' '}
              <time dateTime={revision.savedAt}>{formatDateTime(revision.savedAt, { zone: true })}</time> ·{' '}
              {revision.title}
            </span>
            <span className="row-actions">
              <button
                type="button"
                aria-pressed={viewing === revision.version}
                onClick={() => setViewing(viewing === revision.version ? null : revision.version)}
              >
                {viewing === revision.version ? 'Hide' : 'View'}
                <span className="visually-hidden"> version {revision.version}</span>
              </button>
              <button
                type="button"
                onClick={() => setComparing({ from: revision.version, to: acorn.version })}
                data-testid="compare-with-current"
              >
                Compare<span className="visually-hidden"> version {revision.version} with the current version</span>
              </button>
              {canRestore ? (
                <button type="button" disabled={restoring} onClick={() => restore(revision.version)}>
                  Restore<span className="visually-hidden"> version {revision.version}</span>
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      {revisions.hasNextPage ? (
        <button type="button" onClick={() => revisions.fetchNextPage()} disabled={revisions.isFetchingNextPage}>
          {revisions.isFetchingNextPage ? 'Loading…' : 'Older versions'}
        </button>
      ) : null}
      {viewing !== null ? <RevisionView acornId={acornId} version={viewing} /> : null}
      {items.length > 0 ? (
        <div className="compare-versions">
          <h3>Compare versions</h3>
          <div className="toolbar">
            {(['from', 'to'] as const).map((end) => (
              <div key={end} className="field inline-field">
                <label htmlFor={`${id}-${end}`}>{end === 'from' ? 'From' : 'To'}</label>
                <select
                  id={`${id}-${end}`}
                  value={comparing?.[end] ?? (end === 'from' ? items[0]!.version : acorn.version)}
                  onChange={(event) =>
                    setComparing((current) => ({
                      from: current?.from ?? items[0]!.version,
                      to: current?.to ?? acorn.version,
                      [end]: Number(event.target.value),
                    }))
                  }
                  data-testid={`compare-${end}`}
                >
                  {versions.map((version) => (
                    <option key={version} value={version}>
                      {label(version)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            {comparing ? (
              <button type="button" onClick={() => setComparing(null)}>
                Hide comparison
              </button>
            ) : (
              <button
                type="button"
                onClick={() => setComparing({ from: items[0]!.version, to: acorn.version })}
                data-testid="compare-show"
              >
                Compare
              </button>
            )}
          </div>
          {comparing ? <Comparison acorn={acorn} from={comparing.from} to={comparing.to} label={label} /> : null}
        </div>
      ) : null}
    </section>
  );
}

/** The code of a version: the current one is at hand, earlier ones are fetched (and cached for good). */
function useVersionCode(acorn: Acorn, version: number) {
  const revision = useRevision(acorn.id, version === acorn.version ? null : version);
  if (version === acorn.version) return { code: acorn.code, language: acorn.language, error: null, pending: false };
  return {
    code: revision.data?.code,
    language: revision.data?.language,
    error: revision.error,
    pending: revision.isPending,
  };
}

function Comparison({
  acorn,
  from,
  to,
  label,
}: {
  acorn: Acorn;
  from: number;
  to: number;
  label: (version: number) => string;
}) {
  const before = useVersionCode(acorn, from);
  const after = useVersionCode(acorn, to);
  if (before.error || after.error) {
    return <ErrorMessage error={before.error ?? after.error} title="Could not load a version to compare" />;
  }
  if (before.code === undefined || after.code === undefined) return <Loading label="Loading versions…" />;
  return (
    <VersionDiff
      before={{ label: label(from), code: before.code }}
      after={{ label: label(to), code: after.code }}
      language={after.language ?? acorn.language}
    />
  );
}

function RevisionView({ acornId, version }: { acornId: string; version: number }) {
  const revision = useRevision(acornId, version);
  if (revision.isPending) return <Loading label={`Loading version ${version}…`} />;
  if (revision.isError) return <ErrorMessage error={revision.error} title={`Could not load version ${version}`} />;
  return (
    <figure className="revision-view" data-testid="revision-view">
      <figcaption>
        Version {version}: <strong>{revision.data.title}</strong> ({revision.data.language}, {revision.data.visibility}
        {revision.data.endpoint ? ', endpoint' : ''})
      </figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard. */}
      <pre className="code-block" tabIndex={0}>
        {revision.data.code}
      </pre>
    </figure>
  );
}
