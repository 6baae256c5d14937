import type { AcornList as AcornPage, AcornSummary } from '@squirrelbin/schemas';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { AcornList, autoSearchPages } from './acorn-list';

const summary = (n: number): AcornSummary => ({
  id: `acorn-${n}`,
  title: `Match ${n}`,
  description: '',
  language: 'javascript',
  visibility: 'public',
  endpoint: false,
  version: 1,
  ownerId: 'owner-1',
  forkOf: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

/** A search API answering page N (by cursor) with `pages[N]`; the last page has no cursor. */
function fakeSearch(pages: AcornSummary[][]) {
  const cursors: (string | null)[] = [];
  const fetch = vi.fn(async (url: string) => {
    const cursor = new URL(url, 'http://localhost').searchParams.get('cursor');
    cursors.push(cursor);
    const index = cursor ? Number(cursor.slice(1)) : 0;
    const body: AcornPage = {
      items: pages[index] ?? [],
      nextCursor: index + 1 < pages.length ? `p${index + 1}` : null,
    };
    return jsonResponse(200, body);
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, cursors };
}

const empty = <p>No public acorns match.</p>;

describe('AcornList with short or empty search pages', () => {
  it('keeps reading past empty pages that have a cursor instead of saying "no results"', async () => {
    const api = fakeSearch([[], [], [summary(1)]]);
    renderWithQueries(<AcornList q="needle" empty={empty} />);
    expect(await screen.findByText('Match 1')).toBeTruthy();
    expect(api.cursors).toEqual([null, 'p1', 'p2']);
    expect(screen.queryByText('No public acorns match.')).toBeNull();
  });

  it('offers "Search further" after a few empty pages, and shows the empty state only at the end', async () => {
    const pages = Array.from({ length: autoSearchPages + 2 }, () => [] as AcornSummary[]);
    const api = fakeSearch(pages);
    renderWithQueries(<AcornList q="needle" empty={empty} />);
    const further = await screen.findByTestId('search-further');
    expect(api.fetch).toHaveBeenCalledTimes(autoSearchPages);
    expect(screen.queryByText('No public acorns match.')).toBeNull();

    fireEvent.click(further);
    expect(await screen.findByText('No public acorns match.')).toBeTruthy();
    expect(api.fetch).toHaveBeenCalledTimes(autoSearchPages + 2);
    expect(screen.queryByTestId('search-further')).toBeNull();
  });

  it('shows no results at once when the first page is empty and has no cursor', async () => {
    const api = fakeSearch([[]]);
    renderWithQueries(<AcornList q="needle" empty={empty} />);
    expect(await screen.findByText('No public acorns match.')).toBeTruthy();
    expect(api.fetch).toHaveBeenCalledTimes(1);
  });

  it('"Load more" reads on past an empty page until something new comes', async () => {
    const api = fakeSearch([[summary(1)], [], [summary(2)]]);
    renderWithQueries(<AcornList q="needle" empty={empty} />);
    expect(await screen.findByText('Match 1')).toBeTruthy();
    expect(api.fetch).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId('load-more'));
    expect(await screen.findByText('Match 2')).toBeTruthy();
    expect(api.cursors).toEqual([null, 'p1', 'p2']);
    await waitFor(() => expect(screen.queryByTestId('load-more')).toBeNull());
  });
});

describe('AcornList when a further page fails', () => {
  it('keeps "Search further" with the error, and a click asks again', async () => {
    let failNext = true;
    const fetch = vi.fn(async (url: string) => {
      const cursor = new URL(url, 'http://localhost').searchParams.get('cursor');
      if (cursor === 'p1' && failNext) {
        failNext = false;
        return jsonResponse(503, { type: 'about:blank', title: 'Unavailable', status: 503 });
      }
      const body: AcornPage = cursor ? { items: [summary(7)], nextCursor: null } : { items: [], nextCursor: 'p1' };
      return jsonResponse(200, body);
    });
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(<AcornList q="needle" empty={empty} />);
    const further = await screen.findByTestId('search-further');
    expect(screen.getByText('Could not load more')).toBeTruthy();
    fireEvent.click(further);
    expect(await screen.findByText('Match 7')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(3);
  });
});
