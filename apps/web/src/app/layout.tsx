import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useIsAdmin } from '../features/admin/api/get-metrics';

function NavLink({ href, children, testId }: { href: string; children: ReactNode; testId?: string }) {
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const isAdmin = useIsAdmin();
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
          <NavLink href="/mine">My acorns</NavLink>
          <NavLink href="/settings">Settings</NavLink>
          {isAdmin.data ? (
            <NavLink href="/admin" testId="nav-admin">
              Admin
            </NavLink>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
