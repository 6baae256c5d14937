import { useEffect } from 'react';
import { Link } from 'wouter';
import { PageHeading } from '../../components/page-heading';
import { ErrorMessage, Loading } from '../../components/query-status';
import { AdminDashboard } from '../../features/admin/components/admin-dashboard';
import { useViewer } from '../../features/identity/api/get-me';

export default function AdminRoute() {
  const viewer = useViewer();
  useEffect(() => {
    document.title = 'Admin · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <PageHeading>Admin: endpoint metrics</PageHeading>
      {viewer.pending ? <Loading label="Checking your key…" /> : null}
      {viewer.error ? <ErrorMessage error={viewer.error} title="Could not check your key" /> : null}
      {!viewer.pending && !viewer.error && !viewer.admin ? (
        <div className="empty-state" data-testid="admin-required">
          <p>
            This page needs an admin key. Admin keys are made on the server with{' '}
            <code>npm run admin -- create-key</code>; import one in <Link href="/settings">Settings</Link>.
          </p>
        </div>
      ) : null}
      {viewer.admin ? <AdminDashboard /> : null}
    </div>
  );
}
