import { useEffect, useId, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { PageHeading } from '../../components/page-heading';
import { AcornList } from '../../features/acorns/components/acorn-list';

/** Public acorns, newest first, with search in the URL (`?q=`) so a search can be shared. */
export function ExploreRoute() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const q = new URLSearchParams(search).get('q') ?? '';
  const [text, setText] = useState(q);
  const id = useId();

  // Follow the URL (back/forward) without eating a trailing space the user is still typing.
  useEffect(() => setText((current) => (current.trim() === q.trim() ? current : q)), [q]);

  // Search as you type, a moment after the last key.
  useEffect(() => {
    if (text.trim() === q.trim()) return;
    const timer = setTimeout(() => {
      navigate(text.trim() ? `/?q=${encodeURIComponent(text.trim())}` : '/', { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, q, navigate]);

  useEffect(() => {
    document.title = 'Explore · SquirrelBin';
  }, []);

  return (
    <div className="page">
      <div className="page-head">
        <PageHeading>Explore acorns</PageHeading>
        <Link href="/new" className="button primary">
          New acorn
        </Link>
      </div>
      <search>
        <form
          className="search"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(text.trim() ? `/?q=${encodeURIComponent(text.trim())}` : '/');
          }}
        >
          <label htmlFor={id}>Search acorns</label>
          <div className="inline">
            <input
              id={id}
              type="search"
              value={text}
              maxLength={100}
              placeholder="Title or description"
              onChange={(event) => setText(event.target.value)}
              data-testid="search"
            />
            <button type="submit">Search</button>
          </div>
        </form>
      </search>
      <AcornList
        q={q}
        empty={
          q ? (
            <p>
              No public acorns match “{q}”. <Link href="/">Show all</Link>
            </p>
          ) : (
            <p>
              No public acorns yet. <Link href="/new">Write the first one</Link>.
            </p>
          )
        }
      />
    </div>
  );
}
