import { Link } from 'wouter';
import { PageHeading } from '../../components/page-heading';
import { ErrorMessage, Loading } from '../../components/query-status';
import { useAcorn } from '../../features/acorns/api/get-acorn';
import { isApiError } from '../../lib/api-client';
import { AcornWorkbench } from '../workbench/acorn-workbench';

export default function AcornRoute({ id }: { id: string }) {
  const acorn = useAcorn(id);
  if (acorn.isPending) {
    return (
      <div className="page workbench-placeholder">
        <Loading label="Loading acorn…" />
      </div>
    );
  }
  if (acorn.isError) {
    if (isApiError(acorn.error, 404)) {
      return (
        <div className="page" data-testid="acorn-not-found">
          <PageHeading>No such acorn</PageHeading>
          <p>
            It may have been deleted, or it is private and not yours. <Link href="/">Explore acorns</Link>
          </p>
        </div>
      );
    }
    return (
      <div className="page">
        <PageHeading>Acorn</PageHeading>
        <ErrorMessage error={acorn.error} title="Could not load the acorn" onRetry={() => acorn.refetch()} />
      </div>
    );
  }
  return <AcornWorkbench acorn={acorn.data} />;
}
