import type { AcornSummary } from '@squirrelbin/schemas';
import { Link } from 'wouter';
import { ErrorMessage } from '../../../components/query-status';
import { formatDateTime } from '../../../lib/format-date';
import { type ListAcornsParams, useListAcorns } from '../api/list-acorns';

export interface AcornListProps extends ListAcornsParams {
  /** Shown when there is nothing to list. */
  empty: React.ReactNode;
}

/** A page of acorns, newest first, with "load more" following the API cursor. */
export function AcornList({ empty, ...params }: AcornListProps) {
  const list = useListAcorns(params);
  if (list.isPending) return <ListSkeleton />;
  if (list.isError && !list.isFetchNextPageError) {
    return <ErrorMessage error={list.error} title="Could not load acorns" onRetry={() => list.refetch()} />;
  }
  const items = list.data.pages.flatMap((page) => page.items);
  const moreError = list.isFetchNextPageError ? list.error : null;
  if (items.length === 0) return <div className="empty-state">{empty}</div>;
  return (
    <>
      <ul className="acorn-list" data-testid="acorn-list" aria-busy={list.isFetching}>
        {items.map((acorn) => (
          <AcornCard key={acorn.id} acorn={acorn} />
        ))}
      </ul>
      {moreError ? (
        <ErrorMessage error={moreError} title="Could not load more" onRetry={() => list.fetchNextPage()} />
      ) : null}
      {list.hasNextPage ? (
        <button
          type="button"
          className="load-more"
          onClick={() => list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
          data-testid="load-more"
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </>
  );
}

function AcornCard({ acorn }: { acorn: AcornSummary }) {
  return (
    <li className="acorn-card" data-testid="acorn-card">
      {/* h2: the cards sit right under the page's h1. */}
      <h2 className="card-title">
        <Link href={`/a/${acorn.id}`}>{acorn.title}</Link>
      </h2>
      <p className="meta small muted">
        <span className={`badge badge-lang-${acorn.language}`}>{acorn.language === 'typescript' ? 'TS' : 'JS'}</span>{' '}
        {acorn.visibility !== 'public' ? <span className="badge">{acorn.visibility}</span> : null} updated{' '}
        <time dateTime={acorn.updatedAt}>{formatDateTime(acorn.updatedAt)}</time>
        {acorn.forkOf ? (
          <>
            {' · '}
            <Link href={`/a/${acorn.forkOf}`} data-testid="card-forked-from">
              forked from another acorn
            </Link>
          </>
        ) : null}
      </p>
      {acorn.description ? <p className="description">{acorn.description}</p> : null}
    </li>
  );
}

function ListSkeleton() {
  return (
    <ul className="acorn-list" aria-busy="true" aria-label="Loading acorns">
      {[0, 1, 2, 3].map((n) => (
        <li key={n} className="acorn-card skeleton" />
      ))}
    </ul>
  );
}
