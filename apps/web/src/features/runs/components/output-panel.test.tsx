import type { RunResult, RunStatus } from '@squirrelbin/schemas';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { OutputPanel, outputText } from './output-panel';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    status: 'ok',
    value: 42,
    preview: '42',
    logs: [],
    wallMs: 12.4,
    cpuMs: 3.25,
    truncated: { logs: false, value: false },
    ...overrides,
  };
}

describe('OutputPanel', () => {
  it('invites a run before there is any result', () => {
    render(<OutputPanel />);
    expect(screen.getByText(/Run the code/)).toBeTruthy();
    expect(screen.queryByTestId('run-status')).toBeNull();
  });

  it.each<RunStatus>(['ok', 'error', 'timeout', 'memory', 'killed'])('shows the %s status as a badge', (status) => {
    render(<OutputPanel result={result({ status })} />);
    const badge = screen.getByTestId('run-status');
    expect(badge.textContent).toBe(status);
    expect(badge.className).toContain(`badge-${status}`);
  });

  it('shows wall and CPU time', () => {
    render(<OutputPanel result={result()} />);
    expect(screen.getByTestId('run-timings').textContent).toBe('wall 12 ms · CPU 3.3 ms');
  });

  it('lists logs in order with their levels, and the result preview', () => {
    render(
      <OutputPanel
        result={result({
          preview: '{ answer: 42 }',
          logs: [
            { level: 'log', message: 'first', t: 0.2 },
            { level: 'warn', message: 'careful', t: 1 },
            { level: 'error', message: 'bad thing', t: 2 },
            { level: 'info', message: 'fyi', t: 3 },
            { level: 'debug', message: 'details', t: 4 },
          ],
        })}
      />,
    );
    const entries = screen.getByTestId('run-logs').querySelectorAll('li');
    expect([...entries].map((entry) => entry.dataset.level)).toEqual(['log', 'warn', 'error', 'info', 'debug']);
    expect(entries[1]!.textContent).toContain('careful');
    expect(entries[1]!.querySelector('.log-level')!.textContent).toBe('warn');
    expect(screen.getByTestId('run-value').textContent).toBe('{ answer: 42 }');
  });

  it('says when there were no logs', () => {
    render(<OutputPanel result={result()} />);
    expect(screen.getByTestId('run-no-logs')).toBeTruthy();
  });

  it('shows the error and calls back with its line and column when the line is picked', () => {
    const onErrorLine = vi.fn();
    render(
      <OutputPanel
        result={result({
          status: 'error',
          preview: 'undefined',
          value: undefined,
          error: { name: 'TypeError', message: 'x is not a function', stack: 'TypeError: x…', line: 3, column: 7 },
        })}
        onErrorLine={onErrorLine}
      />,
    );
    expect(screen.getByTestId('run-error').textContent).toContain('TypeError: x is not a function');
    const line = screen.getByTestId('run-error-line');
    expect(line.textContent).toBe('line 3:7');
    fireEvent.click(line);
    expect(onErrorLine).toHaveBeenCalledWith(3, 7);
    // An undefined result of a failed run is noise.
    expect(screen.queryByTestId('run-value')).toBeNull();
  });

  it('marks an import error on the line of the import, with the message naming the specifier', () => {
    const onErrorLine = vi.fn();
    render(
      <OutputPanel
        result={result({
          status: 'error',
          preview: 'undefined',
          error: {
            name: 'ImportError',
            message: "Cannot import 'left-pad': not a module SquirrelBin bundles (see GET /api/modules)",
            stack: '',
            line: 2,
            column: 1,
          },
        })}
        onErrorLine={onErrorLine}
      />,
    );
    expect(screen.getByTestId('run-error').textContent).toContain("Cannot import 'left-pad'");
    fireEvent.click(screen.getByTestId('run-error-line'));
    expect(onErrorLine).toHaveBeenCalledWith(2, 1);
    expect(screen.queryByTestId('run-error-source')).toBeNull();
  });

  it('shows an error thrown inside an imported acorn in that acorn, linked, not on this code’s line', () => {
    const onErrorLine = vi.fn();
    const failed = result({
      status: 'error',
      preview: 'undefined',
      error: {
        name: 'TypeError',
        message: 'name.toUpperCase is not a function',
        stack: 'TypeError: …',
        line: 4,
        column: 15,
        source: 'acorn:Ab3dE@2',
      } as RunResult['error'],
    });
    render(<OutputPanel result={failed} onErrorLine={onErrorLine} />);
    expect(screen.getByTestId('run-error-source').textContent).toBe('in acorn:Ab3dE@2, line 4:15');
    expect(screen.getByTestId('run-error-source-link').getAttribute('href')).toBe('/a/Ab3dE');
    expect(screen.queryByTestId('run-error-line')).toBeNull();
    expect(outputText(failed)).toContain('TypeError: name.toUpperCase is not a function (in acorn:Ab3dE@2, line 4:15)');
  });

  it('shows what an endpoint handler answered instead of a result, under the note on how it ran', () => {
    render(
      <OutputPanel
        note={<p data-testid="note">ran as a handler</p>}
        result={result({
          preview: 'Response {}',
          response: {
            status: 201,
            headers: [['content-type', 'application/json']],
            bodyBase64: btoa('{"ok":true}'),
            bodyBytes: 11,
          },
        })}
      />,
    );
    expect(screen.getByTestId('note').textContent).toBe('ran as a handler');
    expect(screen.getByTestId('run-response-status').textContent).toBe('201 · application/json · 11 bytes');
    expect(screen.getByTestId('run-response-body').textContent).toBe('{"ok":true}');
    expect(screen.queryByTestId('run-value')).toBeNull();
  });

  it('has no line button when the error has no line', () => {
    render(
      <OutputPanel
        result={result({
          status: 'timeout',
          preview: 'undefined',
          error: { name: 'Timeout', message: 'ran out', stack: '' },
        })}
      />,
    );
    expect(screen.getByTestId('run-error')).toBeTruthy();
    expect(screen.queryByTestId('run-error-line')).toBeNull();
  });

  it('notices truncated logs and values', () => {
    const { rerender } = render(<OutputPanel result={result()} />);
    expect(screen.queryByTestId('run-truncated')).toBeNull();
    rerender(<OutputPanel result={result({ truncated: { logs: true, value: false } })} />);
    expect(screen.getByTestId('run-truncated').textContent).toContain('some logs were dropped');
    rerender(<OutputPanel result={result({ truncated: { logs: true, value: true } })} />);
    expect(screen.getByTestId('run-truncated').textContent).toContain(
      'some logs were dropped and the result was cut short',
    );
  });

  it('shows a running state, and a failed request apart from a failed run', () => {
    const { rerender } = render(<OutputPanel running />);
    expect(screen.getByTestId('run-status').textContent).toBe('running…');
    rerender(<OutputPanel error={new ApiError(429, 'rate-limited', 'Too many runs', { retryAfter: 3 })} />);
    expect(screen.getByTestId('error-message').textContent).toContain('Too many runs. Try again in 3 s.');
    expect(screen.queryByTestId('run-status')).toBeNull();
  });

  it('shows no Result box for a run that did not finish', () => {
    render(
      <OutputPanel
        result={result({ status: 'timeout', preview: '', error: { name: 'Timeout', message: 'x', stack: '' } })}
      />,
    );
    expect(screen.queryByTestId('run-value')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Result' })).toBeNull();
  });

  it('keeps the previous result, dimmed, while a new run is in flight', () => {
    render(<OutputPanel result={result({ logs: [{ level: 'log', message: 'before', t: 1 }] })} running />);
    expect(screen.getByTestId('run-status').textContent).toBe('running…');
    expect(screen.getByTestId('run-details').className).toContain('stale');
    expect(screen.getByTestId('run-logs').textContent).toContain('before');
  });

  it('shows the logs of the run in flight as they arrive, with the time it has taken', () => {
    const live = { logs: [{ level: 'log' as const, message: 'first', t: 3 }], startedAt: performance.now() - 1200 };
    render(<OutputPanel running live={live} />);
    expect(screen.getByTestId('run-status').textContent).toBe('running…');
    expect(screen.getByTestId('live-logs').textContent).toContain('first');
    expect(screen.getByTestId('run-elapsed').textContent).toMatch(/^1\.\d s$/);
  });

  it('says a stopped run was stopped, and keeps what it logged', () => {
    const live = { logs: [{ level: 'log' as const, message: 'looping', t: 3 }], startedAt: 0, stoppedAfterMs: 1234 };
    const { rerender } = render(<OutputPanel live={live} />);
    expect(screen.getByTestId('run-status').dataset.status).toBe('stopped');
    expect(screen.getByTestId('run-stopped').textContent).toBe('Stopped after 1.2 s.');
    expect(screen.getByTestId('live-logs').textContent).toContain('looping');
    expect(screen.queryByTestId('run-elapsed')).toBeNull();
    rerender(<OutputPanel live={{ ...live, logs: [] }} />);
    expect(screen.getByTestId('run-stopped').textContent).toBe('Stopped after 1.2 s. It logged nothing.');
  });

  it('filters logs by level and clears the output', () => {
    const onClear = vi.fn();
    render(
      <OutputPanel
        onClear={onClear}
        result={result({
          logs: [
            { level: 'log', message: 'plain', t: 0 },
            { level: 'warn', message: 'careful', t: 1 },
          ],
        })}
      />,
    );
    fireEvent.click(screen.getByTestId('level-log'));
    expect(screen.getByTestId('level-log').getAttribute('aria-pressed')).toBe('false');
    const levels = [...screen.getByTestId('run-logs').querySelectorAll('li')].map((entry) => entry.dataset.level);
    expect(levels).toEqual(['warn']);
    fireEvent.click(screen.getByTestId('level-warn'));
    expect(screen.getByTestId('run-logs-filtered').textContent).toContain('All 2 logs are hidden');
    fireEvent.click(screen.getByTestId('output-clear'));
    expect(onClear).toHaveBeenCalled();
  });

  it('draws only a window of a very long log', () => {
    const logs = Array.from({ length: 1000 }, (_, n) => ({ level: 'log' as const, message: `line ${n}`, t: n }));
    render(<OutputPanel result={result({ logs })} />);
    const list = screen.getByTestId('run-logs');
    expect(list.dataset.windowed).toBe('true');
    expect(list.querySelectorAll('li').length).toBeLessThan(100);
    expect(list.querySelector('li')!.getAttribute('aria-setsize')).toBe('1000');
  });

  it('counts a 429 down to zero, then allows a retry', () => {
    vi.useFakeTimers();
    try {
      render(<OutputPanel error={new ApiError(429, 'rate-limited', 'Too many runs', { retryAfter: 2 })} />);
      expect(screen.getByTestId('error-message').textContent).toContain('Try again in 2 s.');
      act(() => vi.advanceTimersByTime(1_100));
      expect(screen.getByTestId('error-message').textContent).toContain('Try again in 1 s.');
      act(() => vi.advanceTimersByTime(1_100));
      expect(screen.getByTestId('error-message').textContent).toContain('You can try again now.');
    } finally {
      vi.useRealTimers();
    }
  });
});
