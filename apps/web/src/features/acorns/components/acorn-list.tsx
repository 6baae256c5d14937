import type { AcornSummary } from '@squirrelbin/schemas';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime } from '../../../lib/format-date';
import { type ListAcornsParams, useListAcorns } from '../api/list-acorns';

export interface AcornListProps extends ListAcornsParams {
  /** Shown when there is nothing to list. */
  empty: React.ReactNode;
}

/**
 * How many pages are read on their own, after the first one or after a "Load more"/"Search further", while they bring
 * nothing new. A search may answer a short or even empty page with a cursor (the store bounds how much one search
 * reads), so an empty page is not "no results" while a cursor remains, and one click should not stop at it.
 */
export const autoSearchPages = 4;

/** A page of acorns, newest first, with "load more" following the API cursor. */
export function AcornList({ empty, ...params }: AcornListProps) {
  const list = useListAcorns(params);
  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);

  // Keep reading while what was asked for has not come: more items than `items`, within `pages` pages.
  const query = JSON.stringify([params.q?.trim() ?? '', params.mine ?? false]);
  const [asked, setAsked] = useState({ query, items: 0, pages: autoSearchPages });
  const want = asked.query === query ? asked : { query, items: 0, pages: autoSearchPages };
  const keepSearching =
    list.isSuccess && list.hasNextPage && !list.isFetching && items.length <= want.items && pages.length < want.pages;
  const { fetchNextPage } = list;
  const pageCount = pages.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new page is a new decision, even if it is the same.
  useEffect(() => {
    if (keepSearching) void fetchNextPage({ cancelRefetch: false });
  }, [keepSearching, pageCount, fetchNextPage]);
  const searching = keepSearching || list.isFetchingNextPage;
  const askForMore = () => {
    setAsked({ query, items: items.length, pages: pages.length + autoSearchPages });
    // At once, and also after a failed page (when the effect above waits for a success).
    void fetchNextPage({ cancelRefetch: false });
  };

  if (list.isPending) return <ListSkeleton />;
  if (list.isError && !list.isFetchNextPageError) {
    return <ErrorMessage error={list.error} title="Could not load acorns" onRetry={() => list.refetch()} />;
  }
  const moreError = list.isFetchNextPageError ? (
    <ErrorMessage error={list.error} title="Could not load more" onRetry={() => list.fetchNextPage()} />
  ) : null;
  if (items.length === 0 && list.hasNextPage) {
    // Nothing so far, but the server has more to look through: not "no results" yet.
    return (
      <div className="empty-state" data-testid="search-further-state">
        {searching ? (
          <Loading label="No matches yet, searching further…" />
        ) : (
          <>
            <p>No matches in the acorns searched so far. There are more to look through.</p>
            {moreError}
            <button type="button" onClick={askForMore} data-testid="search-further">
              Search further
            </button>
          </>
        )}
      </div>
    );
  }
  if (items.length === 0) return <div className="empty-state">{empty}</div>;
  return (
    <>
      <ul className="acorn-list" data-testid="acorn-list" aria-busy={list.isFetching}>
        {items.map((acorn) => (
          <AcornCard key={acorn.id} acorn={acorn} />
        ))}
      </ul>
      {moreError}
      {list.hasNextPage ? (
        <button type="button" className="load-more" onClick={askForMore} disabled={searching} data-testid="load-more">
          {searching ? 'Loading…' : 'Load more'}
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
        {acorn.visibility !== 'public' ? <span className="badge">{acorn.visibility}</span> : null}{' '}
        {acorn.endpoint ? <span className="badge">endpoint</span> : null} updated{' '}
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
