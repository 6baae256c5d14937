import type { Revision } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { getRevisionQueryOptions, useRevision } from '../api/get-revision';
import { useRevisions } from '../api/list-revisions';

export interface RevisionHistoryProps {
  acornId: string;
  currentVersion: number;
  canRestore: boolean;
  restoring?: boolean;
  onRestore: (revision: Revision) => void;
}

/** Earlier versions of an acorn, newest first, each viewable and (for its owner) restorable. */
export function RevisionHistory({ acornId, currentVersion, canRestore, restoring, onRestore }: RevisionHistoryProps) {
  const revisions = useRevisions(acornId);
  const [viewing, setViewing] = useState<number | null>(null);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const items = revisions.data?.pages.flatMap((page) => page.items) ?? [];

  const restore = async (version: number) => {
    setRestoreError(null);
    try {
      onRestore(await queryClient.fetchQuery(getRevisionQueryOptions(acornId, version)));
    } catch (error) {
      setRestoreError(error);
    }
  };

  return (
    <section className="revisions" aria-labelledby="revisions-heading" data-testid="revision-history">
      <h2 id="revisions-heading">History</h2>
      <p className="muted small">Current: version {currentVersion}.</p>
      {revisions.isPending ? <Loading label="Loading history…" /> : null}
      {revisions.isError ? (
        <ErrorMessage error={revisions.error} title="Could not load the history" onRetry={() => revisions.refetch()} />
      ) : null}
      {revisions.isSuccess && items.length === 0 ? <p className="muted">No earlier versions yet.</p> : null}
      {restoreError ? <ErrorMessage error={restoreError} title="Could not restore" /> : null}
      <ul className="revision-list">
        {items.map((revision) => (
          <li key={revision.version} data-testid="revision-item">
            <span>
              v{revision.version} · <time dateTime={revision.savedAt}>{formatTime(revision.savedAt)}</time> ·{' '}
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
    </section>
  );
}

function RevisionView({ acornId, version }: { acornId: string; version: number }) {
  const revision = useRevision(acornId, version);
  if (revision.isPending) return <Loading label={`Loading version ${version}…`} />;
  if (revision.isError) return <ErrorMessage error={revision.error} title={`Could not load version ${version}`} />;
  return (
    <figure className="revision-view" data-testid="revision-view">
      <figcaption>
        Version {version}: <strong>{revision.data.title}</strong> ({revision.data.language}, {revision.data.visibility})
      </figcaption>
      <pre className="code-block">{revision.data.code}</pre>
    </figure>
  );
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
