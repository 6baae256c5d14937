import type { JobResult } from '@squirrelbin/schemas';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { JobResults } from './job-results';

const result = (iteration: number, overrides: Partial<JobResult> = {}): JobResult => ({
  iteration,
  status: 'ok',
  wallMs: 2,
  cpuMs: 1,
  value: iteration,
  ...overrides,
});

/** Pages of `limit` from `results`; like DynamoDB, a full page always has a cursor, even when nothing follows. */
function fakeResults(results: JobResult[]) {
  const fetch = vi.fn(async (url: string) => {
    const params = new URL(url, 'http://localhost').searchParams;
    const limit = Number(params.get('limit'));
    const from = Number(params.get('cursor') ?? 0);
    const items = results.slice(from, from + limit);
    return jsonResponse(200, { items, nextCursor: items.length === limit ? String(from + limit) : null });
  });
  vi.stubGlobal('fetch', fetch);
  localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_me', id: 'me' }));
  return fetch;
}

describe('JobResults', () => {
  it('stops at the page that ends with the last iteration, even when the store hands back a cursor', async () => {
    const fetch = fakeResults(Array.from({ length: 100 }, (_, i) => result(i)));
    renderWithQueries(<JobResults jobId="job-1" total={100} running={false} />);
    await waitFor(() => expect(screen.getAllByTestId('job-result-row')).toHaveLength(50));
    fireEvent.click(screen.getByTestId('job-results-next'));
    await waitFor(() => expect(screen.getByTestId('job-results-page').textContent).toBe('Page 2 · iterations 50–99'));
    expect((screen.getByTestId('job-results-next') as HTMLButtonElement).disabled).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shows values, previews and errors', async () => {
    fakeResults([
      result(0, { value: { a: 1 } }),
      result(1, { value: undefined, preview: 'undefined' }),
      result(2, { status: 'error', value: undefined, error: { name: 'TypeError', message: 'nope', stack: '' } }),
    ]);
    renderWithQueries(<JobResults jobId="job-1" total={3} running={false} />);
    const rows = await screen.findAllByTestId('job-result-row');
    expect(rows.map((row) => row.querySelector('.job-result-value')!.textContent)).toEqual([
      '{"a":1}',
      'undefined',
      'TypeError: nope',
    ]);
    expect(rows[2]!.dataset.status).toBe('error');
    expect((screen.getByTestId('job-results-next') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when there are no results yet', async () => {
    fakeResults([]);
    renderWithQueries(<JobResults jobId="job-1" total={10} running />);
    expect((await screen.findByTestId('job-results-empty')).textContent).toMatch(/No results yet/);
  });
});
