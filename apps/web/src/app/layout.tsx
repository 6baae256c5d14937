import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { NavigationPrompt } from '../components/navigation-prompt';
import { useViewer } from '../features/identity/api/get-me';
import { KeyBackupNotice } from '../features/identity/components/key-backup-notice';

function NavLink({ href, children, testId }: { href: string; children: ReactNode; testId?: string }) {
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const [embedded] = useRoute('/embed/*');
  // The embed view sits inside other sites' pages: no site chrome, and no viewer lookups of its own.
  if (embedded) {
    return (
      <main id="main" tabIndex={-1} className="embed-main">
        {children}
      </main>
    );
  }
  return <SiteLayout>{children}</SiteLayout>;
}

function SiteLayout({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          <span aria-hidden="true">🐿️</span> SquirrelBin
        </Link>
        <nav aria-label="Main">
          <NavLink href="/">Explore</NavLink>
          <NavLink href="/new" testId="nav-new">
            New acorn
          </NavLink>
          <NavLink href="/scratch">Scratch</NavLink>
          <NavLink href="/mine" testId="nav-mine">
            My acorns
          </NavLink>
          <NavLink href="/settings" testId="nav-settings">
            Settings
          </NavLink>
          {viewer.admin ? (
            <NavLink href="/admin" testId="nav-admin">
              Admin
            </NavLink>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <div className="page-notices">
          <KeyBackupNotice />
        </div>
        {children}
      </main>
      <NavigationPrompt />
    </>
  );
}
