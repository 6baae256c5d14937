import { useEffect } from 'react';
import { Link } from 'wouter';
import { PageHeading } from '../../components/page-heading';
import { AcornList } from '../../features/acorns/components/acorn-list';
import { useIdentity } from '../../lib/identity-store';

export default function MineRoute() {
  const identity = useIdentity();
  useEffect(() => {
    document.title = 'My acorns · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <PageHeading>My acorns</PageHeading>
        <Link href="/new" className="button primary">
          New acorn
        </Link>
      </div>
      {identity ? (
        <AcornList
          mine
          empty={
            <p>
              You have no acorns yet. <Link href="/new">Write one</Link>.
            </p>
          }
        />
      ) : (
        <div className="empty-state" data-testid="no-identity">
          <p>
            This browser has no identity yet: one is made when you first save an acorn. Already have a key?{' '}
            <Link href="/settings">Import it in Settings</Link>.
          </p>
        </div>
      )}
    </div>
  );
}
