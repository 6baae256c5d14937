import type { Acorn, Job, JobResult } from '@squirrelbin/schemas';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { eventStreamResponse, fakeJob, finishedJob, sseEvent } from '../testing';
import LoadTestPanel from './load-test-panel';

const acorn: Acorn = {
  id: 'acorn-1',
  ownerId: 'me',
  title: 'Trivial',
  description: '',
  language: 'javascript',
  code: '1',
  visibility: 'public',
  endpoint: false,
  version: 2,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
} as Acorn;

const result = (iteration: number): JobResult => ({
  iteration,
  status: 'ok',
  wallMs: 1.3,
  cpuMs: 0.4,
  value: iteration * 2,
});

interface Call {
  method: string;
  url: URL;
  body: unknown;
}

/** A fake API: each route answers from `routes` (method + path), and every call is kept. */
function fakeApi(routes: Record<string, (call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost');
    const call = { method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const route = routes[`${call.method} ${url.pathname}`];
    if (!route) return jsonResponse(404, { type: 'urn:squirrelbin:problem:route-not-found', status: 404, title: 'No' });
    return route(call);
  });
  vi.stubGlobal('fetch', fetch);
  localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_me', id: 'me' }));
  return calls;
}

const list = (items: Job[]) => () => jsonResponse(200, { items, nextCursor: null });

/** Results in pages of `limit`, cursor = the next iteration. */
const resultPages = (total: number) => (call: Call) => {
  const limit = Number(call.url.searchParams.get('limit'));
  const from = Number(call.url.searchParams.get('cursor') ?? 0);
  const items = Array.from({ length: Math.max(0, Math.min(limit, total - from)) }, (_, i) => result(from + i));
  return jsonResponse(200, { items, nextCursor: from + limit < total ? String(from + limit) : null });
};

function fillLoad(iterations: string, concurrency: string) {
  fireEvent.change(screen.getByLabelText('Iterations'), { target: { value: iterations } });
  fireEvent.change(screen.getByLabelText(/^Concurrency/), { target: { value: concurrency } });
}

describe('LoadTestPanel', () => {
  it('starts a load test, follows it live to the end, and pages through its results', async () => {
    const started = fakeJob({ status: 'queued', startedAt: null });
    const calls = fakeApi({
      'GET /api/acorns/acorn-1/jobs': list([]),
      'POST /api/acorns/acorn-1/jobs': () => jsonResponse(202, started, { Location: '/api/jobs/job-1' }),
      'GET /api/jobs/job-1/events': () =>
        eventStreamResponse([
          sseEvent('progress', fakeJob({ done: 80, counts: { ok: 80, error: 0, timeout: 0, memory: 0, killed: 0 } })),
          sseEvent('done', finishedJob()),
        ]),
      'GET /api/jobs/job-1/results': resultPages(120),
    });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty={false} />);
    await screen.findByTestId('job-list-empty');
    fillLoad('200', '8');
    fireEvent.change(screen.getByLabelText(/Input of every run/), { target: { value: '{"n": 1}' } });
    fireEvent.click(screen.getByTestId('job-start'));

    const progress = await screen.findByRole('progressbar', { name: 'Iterations done' });
    const post = calls.find((call) => call.method === 'POST')!;
    expect(post.body).toEqual({ kind: 'load', iterations: 200, concurrency: 8, input: { n: 1 } });
    await waitFor(() => expect(progress.getAttribute('aria-valuenow')).toBe('200'));
    expect(progress.getAttribute('aria-valuemax')).toBe('200');
    expect(progress.getAttribute('aria-valuetext')).toBe('200 of 200 (100%)');
    expect(screen.getByTestId('job-progress-text').textContent).toContain('100%');
    expect(screen.getByTestId('job-status').textContent).toBe('succeeded');
    expect(screen.queryByTestId('job-cancel')).toBeNull();
    expect(screen.getByTestId('job-count-ok').textContent).toContain('198');
    expect(screen.getByTestId('job-count-error').textContent).toContain('2');
    expect(screen.getByTestId('job-wall-p50').textContent).toBe('1.2 ms');
    expect(screen.getByTestId('job-wall-max').textContent).toBe('7.8 ms');
    expect(screen.getByTestId('job-cpu-p99').textContent).toBe('1.1 ms');
    expect(screen.getByTestId('job-rate').textContent).toBe('123 runs/s');
    expect(screen.getByTestId('job-errors').textContent).toContain('Iteration 7: TypeError: x is undefined');
    const chart = screen.getByTestId('job-histogram-chart');
    expect(chart.getAttribute('aria-label')).toMatch(/200 iterations/);
    expect(chart.querySelectorAll('rect.histogram-bar')).toHaveLength(2);

    // Results: 120 in pages of 50.
    await waitFor(() => expect(screen.getAllByTestId('job-result-row')).toHaveLength(50));
    expect(screen.getByTestId('job-results-page').textContent).toBe('Page 1 · iterations 0–49');
    expect((screen.getByTestId('job-results-previous') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('job-results-next'));
    await waitFor(() => expect(screen.getByTestId('job-results-page').textContent).toBe('Page 2 · iterations 50–99'));
    fireEvent.click(screen.getByTestId('job-results-next'));
    await waitFor(() => expect(screen.getAllByTestId('job-result-row')).toHaveLength(20));
    expect((screen.getByTestId('job-results-next') as HTMLButtonElement).disabled).toBe(true);
    expect(calls.some((call) => call.url.searchParams.get('cursor') === '100')).toBe(true);
    fireEvent.click(screen.getByTestId('job-results-previous'));
    await waitFor(() => expect(screen.getByTestId('job-results-page').textContent).toBe('Page 2 · iterations 50–99'));
  });

  it('checks the fields before sending anything', async () => {
    const calls = fakeApi({ 'GET /api/acorns/acorn-1/jobs': list([]) });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty={false} />);
    await screen.findByTestId('job-list-empty');
    fillLoad('0', '99');
    fireEvent.click(screen.getByTestId('job-start'));
    const iterations = screen.getByLabelText('Iterations');
    expect(iterations.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('job-iterations-error').textContent).toMatch(/from 1 to 10,000/);
    expect(screen.getByTestId('job-concurrency-error').textContent).toMatch(/from 1 to 50/);
    expect(document.activeElement).toBe(iterations);
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('sends a batch from a JSON array, and shows the server’s field errors at the fields', async () => {
    const calls = fakeApi({
      'GET /api/acorns/acorn-1/jobs': list([]),
      'POST /api/acorns/acorn-1/jobs': () =>
        jsonResponse(400, {
          type: 'urn:squirrelbin:problem:validation-failed',
          title: 'The request is not valid',
          status: 400,
          errors: [{ path: 'inputs.1', message: 'Too large' }],
        }),
    });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty={false} />);
    await screen.findByTestId('job-list-empty');
    fireEvent.click(screen.getByLabelText(/^Batch/));
    fireEvent.change(screen.getByLabelText(/^Inputs/), { target: { value: '[1, 2, 3]' } });
    fireEvent.change(screen.getByLabelText(/^Concurrency/), { target: { value: '' } });
    expect(screen.getByText(/3 inputs:/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('job-start'));
    expect(await screen.findByTestId('job-inputs-error')).toHaveProperty('textContent', 'Too large');
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({ kind: 'batch', inputs: [1, 2, 3] });
  });

  it('says plainly when the key already has too many active jobs (429)', async () => {
    fakeApi({
      'GET /api/acorns/acorn-1/jobs': list([]),
      'POST /api/acorns/acorn-1/jobs': () =>
        jsonResponse(429, {
          type: 'urn:squirrelbin:problem:too-many-jobs',
          title: 'Too many active jobs',
          status: 429,
        }),
    });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty />);
    await screen.findByTestId('job-list-empty');
    expect(screen.getByTestId('job-dirty-note').textContent).toMatch(/version 2 as saved/);
    fillLoad('10', '1');
    fireEvent.click(screen.getByTestId('job-start'));
    const error = await screen.findByTestId('job-start-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/too many jobs queued or running/);
    expect(error.textContent).toMatch(/at most 2 jobs/);
    expect(error.textContent).toMatch(/Too many active jobs/);
  });

  it('cancels a running job', async () => {
    const running = fakeJob({ done: 40 });
    const calls = fakeApi({
      'GET /api/acorns/acorn-1/jobs': list([running]),
      'GET /api/jobs/job-1': () => jsonResponse(200, running),
      // Progress, then the stream stays open.
      'GET /api/jobs/job-1/events': () => eventStreamResponse([sseEvent('progress', running)], { open: true }),
      'GET /api/jobs/job-1/results': resultPages(40),
      'DELETE /api/jobs/job-1': () => jsonResponse(202, { ...running, status: 'cancelled' }),
    });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty={false} />);
    // A running job of this acorn is shown when the panel opens.
    const view = await screen.findByTestId('job-view');
    expect(within(view).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    fireEvent.click(within(view).getByTestId('job-cancel'));
    // Cancelled at once; it ends when the iterations in flight are recorded (the stream is still followed).
    await waitFor(() => expect(within(view).getByTestId('job-status').textContent).toBe('cancelled'));
    expect(within(view).queryByTestId('job-cancel')).toBeNull();
    expect(within(view).getByTestId('job-winding')).toBeTruthy();
    expect(calls.some((call) => call.method === 'DELETE' && call.url.pathname === '/api/jobs/job-1')).toBe(true);
  });

  it('lists past jobs newest first; Show opens one', async () => {
    const older = finishedJob({ id: 'job-old', status: 'cancelled', done: 12, total: 5000 });
    const newer = finishedJob({ id: 'job-new' });
    fakeApi({
      'GET /api/acorns/acorn-1/jobs': list([newer, older]),
      'GET /api/jobs/job-old': () => jsonResponse(200, older),
      'GET /api/jobs/job-old/results': resultPages(12),
    });
    renderWithQueries(<LoadTestPanel acorn={acorn} dirty={false} />);
    const rows = await screen.findAllByTestId('job-row');
    expect(rows.map((row) => row.dataset.status)).toEqual(['succeeded', 'cancelled']);
    // Finished jobs are not opened on their own.
    expect(screen.queryByTestId('job-view')).toBeNull();
    fireEvent.click(within(rows[1]!).getByTestId('job-show'));
    const view = await screen.findByTestId('job-view');
    expect(view.dataset.jobId).toBe('job-old');
    expect(within(view).getByTestId('job-status').textContent).toBe('cancelled');
    expect(within(view).getByRole('heading', { level: 3 }).textContent).toBe('Load test · 5,000 iterations');
    expect(within(rows[1]!).getByTestId('job-show').getAttribute('aria-current')).toBe('true');
    await waitFor(() => expect(screen.getAllByTestId('job-result-row')).toHaveLength(12));
  });
});
