import type { Invocation, RunResult } from '@squirrelbin/schemas';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import type { RunLogsView } from './reply-view';
import { RequestTester } from './request-tester';

const acornId = 'AbCdEfGhIjKlMnOp1234';

const FakeLogs: RunLogsView = ({ logs, error }) => (
  <ul data-testid="fake-logs">
    {logs.map((entry) => (
      <li key={entry.t}>{entry.message}</li>
    ))}
    {error ? <li>{error.message}</li> : null}
  </ul>
);

function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    status: 'ok',
    preview: 'undefined',
    logs: [{ level: 'log', message: 'handled', t: 1 }],
    wallMs: 7.5,
    cpuMs: 2,
    truncated: { logs: false, value: false },
    ...overrides,
  };
}

function send(path: string) {
  fireEvent.change(screen.getByLabelText(/Path and query/), { target: { value: path } });
  fireEvent.click(screen.getByTestId('tester-send'));
}

describe('RequestTester, live', () => {
  it('calls the real endpoint without the stored key or cookies, and shows status, body, run status and timings', async () => {
    localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_secret', id: 'me' }));
    const fetch = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response('{"hello":"ada"}', {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-run-status': 'ok', 'x-run-wall-ms': '12' },
        }),
    );
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(
      <RequestTester acornId={acornId} target={{ kind: 'live' }} canSeeInvocations={false} RunLogs={FakeLogs} />,
    );
    expect(screen.getByTestId('tester-mode').textContent).toContain('Live');
    send('/hello?name=ada');

    expect(await screen.findByTestId('tester-reply')).toBeTruthy();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${window.location.origin}/x/${acornId}/hello?name=ada`);
    expect(init).toMatchObject({ method: 'GET', credentials: 'omit', redirect: 'manual', body: undefined });
    expect(new Headers(init!.headers).has('authorization')).toBe(false);
    expect(screen.getByTestId('tester-status').textContent).toBe('200 OK');
    expect(screen.getByTestId('tester-run-status').textContent).toBe('run ok');
    expect(screen.getByTestId('tester-reply-mode').textContent).toBe('live');
    expect(screen.getByTestId('tester-timings').textContent).toMatch(/^run 12 ms \(X-Run-Wall-Ms\) · round trip/);
    expect(screen.getByTestId('tester-body').textContent).toBe('{\n  "hello": "ada"\n}');
    expect(screen.getByText("The logs of live calls are shown to the acorn's owner.")).toBeTruthy();
  });

  it('sends the typed headers and body', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(
      <RequestTester acornId={acornId} target={{ kind: 'live' }} canSeeInvocations={false} RunLogs={FakeLogs} />,
    );
    fireEvent.change(screen.getByTestId('tester-method'), { target: { value: 'POST' } });
    fireEvent.change(screen.getByLabelText('Headers'), { target: { value: 'Content-Type: application/json\nX-A: 1' } });
    fireEvent.change(screen.getByLabelText('Body'), { target: { value: '{"n":1}' } });
    send('/echo');
    expect(await screen.findByTestId('tester-body-empty')).toBeTruthy();
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"n":1}');
    expect(init.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['X-A', '1'],
    ]);
    expect(screen.getByTestId('tester-status').textContent).toBe('204 No Content');
  });

  it('shows a failed run’s problem readably', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(
          502,
          {
            type: 'urn:squirrelbin:problem:endpoint-failed',
            title: "The endpoint's acorn failed",
            status: 502,
            detail: "The acorn's run ended error: TypeError: boom (line 3)",
            requestId: 'req-1',
            runStatus: 'error',
          },
          { 'x-run-status': 'error', 'x-run-wall-ms': '3' },
        ),
      ),
    );
    renderWithQueries(
      <RequestTester acornId={acornId} target={{ kind: 'live' }} canSeeInvocations={false} RunLogs={FakeLogs} />,
    );
    send('/');
    const problem = await screen.findByTestId('tester-problem');
    expect(problem.textContent).toContain("The endpoint's acorn failed");
    expect(problem.textContent).toContain('TypeError: boom (line 3)');
    expect(problem.textContent).toContain('Run status: error');
    expect(screen.getByTestId('tester-status').textContent).toBe('502 Bad Gateway');
  });

  it('says so when the endpoint cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    renderWithQueries(
      <RequestTester acornId={acornId} target={{ kind: 'live' }} canSeeInvocations={false} RunLogs={FakeLogs} />,
    );
    send('/');
    expect((await screen.findByTestId('tester-error')).textContent).toContain('Could not call the endpoint');
  });

  it('shows the owner a live call’s logs from its invocation record', async () => {
    const older: Invocation = {
      id: 'old',
      acornId,
      acornVersion: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      method: 'GET',
      path: '/hello',
      query: 'name=ada',
      status: 200,
      runStatus: 'ok',
      wallMs: 3,
      cpuMs: 1,
      logs: [{ level: 'log', message: 'an older call', t: 1 }],
      logsTruncated: false,
    };
    let recorded = false;
    const fetch = vi.fn(async (url: string) => {
      if (url.startsWith('/api/acorns/')) {
        const items = recorded
          ? [{ ...older, id: 'new', logs: [{ level: 'log', message: 'this call', t: 1 }] }, older]
          : [older];
        return jsonResponse(200, { items, nextCursor: null });
      }
      recorded = true;
      return new Response('hi', { headers: { 'x-run-status': 'ok', 'x-run-wall-ms': '4' } });
    });
    vi.stubGlobal('fetch', fetch);
    localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_owner', id: 'me' }));
    const { queryClient } = renderWithQueries(
      <RequestTester acornId={acornId} target={{ kind: 'live' }} canSeeInvocations RunLogs={FakeLogs} />,
    );
    // The list the page shows was loaded before Send: its calls are not this one.
    const { listInvocationsQueryOptions } = await import('../api/list-invocations');
    await queryClient.fetchInfiniteQuery(listInvocationsQueryOptions(acornId, 'sqb_owner'));
    send('/hello?name=ada');
    expect(await screen.findByText('this call')).toBeTruthy();
    expect(screen.queryByText('an older call')).toBeNull();
  });
});

describe('RequestTester, draft', () => {
  it('runs the editor’s code through POST /api/run with the request, labelled as not recorded', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      jsonResponse(
        200,
        runResult({
          response: {
            status: 201,
            headers: [['content-type', 'text/plain']],
            bodyBase64: btoa('made'),
            bodyBytes: 4,
          },
        }),
      ),
    );
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(
      <RequestTester
        acornId={acornId}
        target={{ kind: 'draft', language: 'typescript', code: 'export default () => new Response("made")' }}
        draftReason="it has unsaved changes"
        canSeeInvocations
        RunLogs={FakeLogs}
      />,
    );
    expect(screen.getByTestId('tester-mode').textContent).toBe(
      'Draft — not recorded: runs the code in the editor as the handler (it has unsaved changes).',
    );
    fireEvent.change(screen.getByTestId('tester-method'), { target: { value: 'PUT' } });
    fireEvent.change(screen.getByLabelText('Body'), { target: { value: 'payload' } });
    send('things/1');

    expect(await screen.findByTestId('tester-reply')).toBeTruthy();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/run');
    expect(JSON.parse(init!.body as string)).toEqual({
      language: 'typescript',
      code: 'export default () => new Response("made")',
      request: {
        method: 'PUT',
        url: `${window.location.origin}/x/${acornId}/things/1`,
        headers: [['content-type', 'text/plain;charset=UTF-8']],
        body: 'payload',
        bodyEncoding: 'utf8',
      },
    });
    expect(screen.getByTestId('tester-status').textContent).toBe('201 Created');
    expect(screen.getByTestId('tester-reply-mode').textContent).toBe('draft — not recorded');
    expect(screen.getByTestId('tester-body').textContent).toBe('made');
    expect(screen.getByTestId('tester-timings').textContent).toMatch(/^run 7\.5 ms · CPU 2\.0 ms · round trip/);
    expect(screen.getByTestId('fake-logs').textContent).toBe('handled');
  });

  it('shows a failed draft run as the 502 the endpoint would answer, with its error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(
          200,
          runResult({ status: 'error', logs: [], error: { name: 'TypeError', message: 'nope', stack: '' } }),
        ),
      ),
    );
    renderWithQueries(
      <RequestTester
        acornId={undefined}
        target={{ kind: 'draft', language: 'javascript', code: 'x' }}
        canSeeInvocations={false}
        RunLogs={FakeLogs}
      />,
    );
    send('/');
    expect((await screen.findByTestId('tester-status')).textContent).toBe('502 Bad Gateway');
    expect(screen.getByTestId('tester-run-status').textContent).toBe('run error');
    expect(screen.getByTestId('fake-logs').textContent).toBe('nope');
  });

  it('refuses a header line that is not “Name: value” before sending anything', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(
      <RequestTester
        acornId={acornId}
        target={{ kind: 'draft', language: 'javascript', code: 'x' }}
        canSeeInvocations={false}
        RunLogs={FakeLogs}
      />,
    );
    fireEvent.change(screen.getByLabelText('Headers'), { target: { value: 'just words' } });
    send('/');
    await waitFor(() => expect(screen.getByLabelText('Headers').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Header line 1 is not “Name: value”.')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('RequestTester, the request as typed', () => {
  it('tells the editor the request it would send (for Run), and null while it is not valid', () => {
    const onRequestChange = vi.fn();
    renderWithQueries(
      <RequestTester
        acornId={acornId}
        target={{ kind: 'draft', language: 'javascript', code: '' }}
        canSeeInvocations={false}
        RunLogs={FakeLogs}
        onRequestChange={onRequestChange}
      />,
    );
    expect(onRequestChange).toHaveBeenLastCalledWith({
      method: 'GET',
      url: `${window.location.origin}/x/${acornId}`,
      headers: [],
    });
    fireEvent.change(screen.getByTestId('tester-method'), { target: { value: 'POST' } });
    fireEvent.change(screen.getByLabelText(/Path and query/), { target: { value: '/users?x=1' } });
    fireEvent.change(screen.getByTestId('tester-body-input'), { target: { value: 'hi' } });
    expect(onRequestChange).toHaveBeenLastCalledWith({
      method: 'POST',
      url: `${window.location.origin}/x/${acornId}/users?x=1`,
      headers: [['content-type', 'text/plain;charset=UTF-8']],
      body: 'hi',
      bodyEncoding: 'utf8',
    });
    fireEvent.change(screen.getByTestId('tester-headers-input'), { target: { value: 'not a header' } });
    expect(onRequestChange).toHaveBeenLastCalledWith(null);
  });
});
