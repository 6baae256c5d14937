import { Link } from 'wouter';
import { isApiError } from '../../../lib/api-client';
import { useAcorn } from '../api/get-acorn';

/** "Forked from <source>", linking to the source while it can still be read. */
export function ForkedFrom({ id }: { id: string }) {
  const source = useAcorn(id);
  return (
    <p className="muted small forked-from" data-testid="forked-from">
      Forked from{' '}
      {source.isError && isApiError(source.error, 404) ? (
        <>an acorn that was deleted or is private</>
      ) : (
        <Link href={`/a/${id}`}>{source.data ? `“${source.data.title}”` : 'another acorn'}</Link>
      )}
    </p>
  );
}
