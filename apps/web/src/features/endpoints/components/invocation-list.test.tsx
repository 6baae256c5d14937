import type { Invocation, InvocationList as InvocationPage } from '@squirrelbin/schemas';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { InvocationList } from './invocation-list';
import type { RunLogsView } from './reply-view';

const acornId = 'AbCdEfGhIjKlMnOp1234';

const FakeLogs: RunLogsView = ({ logs, error }) => (
  <ul data-testid="fake-logs">
    {logs.map((entry) => (
      <li key={entry.t}>{entry.message}</li>
    ))}
    {error ? <li>{error.message}</li> : null}
  </ul>
);

const invocation = (n: number, overrides: Partial<Invocation> = {}): Invocation => ({
  id: `inv-${n}`,
  acornId,
  acornVersion: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  method: 'GET',
  path: `/items/${n}`,
  query: '',
  status: 200,
  runStatus: 'ok',
  wallMs: 4.2,
  cpuMs: 1,
  logs: [{ level: 'log', message: `call ${n}`, t: 1 }],
  logsTruncated: false,
  ...overrides,
});

function fakeInvocations(pages: Invocation[][]) {
  const urls: string[] = [];
  const fetch = vi.fn(async (url: string) => {
    urls.push(url);
    const cursor = new URL(url, 'http://localhost').searchParams.get('cursor');
    const index = cursor ? Number(cursor.slice(1)) : 0;
    const body: InvocationPage = {
      items: pages[index] ?? [],
      nextCursor: index + 1 < pages.length ? `p${index + 1}` : null,
    };
    return jsonResponse(200, body);
  });
  vi.stubGlobal('fetch', fetch);
  localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_owner', id: 'me' }));
  return { fetch, urls };
}

describe('InvocationList', () => {
  it('lists calls with method, path and query, status, run status and wall time', async () => {
    fakeInvocations([
      [invocation(1, { query: 'x=1' }), invocation(2, { method: 'POST', status: 502, runStatus: 'error', wallMs: 12 })],
    ]);
    renderWithQueries(<InvocationList acornId={acornId} pollMs={false} RunLogs={FakeLogs} />);
    const rows = await screen.findAllByTestId('invocation-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('GET /items/1?x=1');
    expect(rows[0]!.textContent).toContain('200 OK');
    expect(rows[0]!.textContent).toContain('4.2 ms');
    expect(rows[1]!.textContent).toContain('POST /items/2');
    expect(rows[1]!.textContent).toContain('502 Bad Gateway');
    expect(rows[1]!.dataset.runStatus).toBe('error');
  });

  it('opens a call to its logs and error', async () => {
    fakeInvocations([
      [invocation(1, { logs: [], runStatus: 'error', error: { name: 'Error', message: 'it broke', stack: '' } })],
    ]);
    renderWithQueries(<InvocationList acornId={acornId} pollMs={false} RunLogs={FakeLogs} />);
    const toggle = await screen.findByTestId('invocation-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('invocation-details').textContent).toContain('it broke');
    expect(screen.getByTestId('invocation-details').textContent).toContain('Version 2');
    fireEvent.click(toggle);
    expect(screen.queryByTestId('invocation-details')).toBeNull();
  });

  it('pages on with "Load more" through the cursor', async () => {
    const api = fakeInvocations([[invocation(1)], [invocation(2)]]);
    renderWithQueries(<InvocationList acornId={acornId} pollMs={false} RunLogs={FakeLogs} />);
    expect(await screen.findByText('GET /items/1')).toBeTruthy();
    fireEvent.click(screen.getByTestId('invocations-more'));
    expect(await screen.findByText('GET /items/2')).toBeTruthy();
    expect(api.urls).toEqual([
      `/api/acorns/${acornId}/invocations?limit=20`,
      `/api/acorns/${acornId}/invocations?limit=20&cursor=p1`,
    ]);
    expect(screen.queryByTestId('invocations-more')).toBeNull();
  });

  it('says when there are no calls yet', async () => {
    fakeInvocations([[]]);
    renderWithQueries(<InvocationList acornId={acornId} pollMs={false} RunLogs={FakeLogs} />);
    expect((await screen.findByTestId('invocations-empty')).textContent).toContain('No calls yet');
  });

  it('shows an error with a retry when the list cannot load', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(403, { type: 'urn:squirrelbin:problem:forbidden', title: 'Not allowed' })),
    );
    renderWithQueries(<InvocationList acornId={acornId} pollMs={false} RunLogs={FakeLogs} />);
    expect((await screen.findByTestId('error-message')).textContent).toContain('Could not load the recent calls');
  });
});
