import { useEffect } from 'react';
import { Link } from 'wouter';
import { ErrorMessage, Loading } from '../../components/query-status';
import { useIsAdmin } from '../../features/admin/api/get-metrics';
import { AdminDashboard } from '../../features/admin/components/admin-dashboard';

export default function AdminRoute() {
  const isAdmin = useIsAdmin();
  useEffect(() => {
    document.title = 'Admin · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <h1>Admin: endpoint metrics</h1>
      {isAdmin.isPending ? <Loading label="Checking your key…" /> : null}
      {isAdmin.isError ? <ErrorMessage error={isAdmin.error} onRetry={() => isAdmin.refetch()} /> : null}
      {isAdmin.data === false ? (
        <div className="empty-state" data-testid="admin-required">
          <p>
            This page needs an admin key. Admin keys are made on the server with{' '}
            <code>npm run admin -- create-key</code>; import one in <Link href="/settings">Settings</Link>.
          </p>
        </div>
      ) : null}
      {isAdmin.data ? <AdminDashboard /> : null}
    </div>
  );
}
