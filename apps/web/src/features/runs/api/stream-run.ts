/**
 * A run over server-sent events: each console line is handed over as it happens, then the result. A proxy that
 * answers plain JSON (or buffers the events until the end) gives the same result, only without the live lines.
 */
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import { ApiError, apiFetch } from '../../../lib/api-client';
import { eventStreamParser } from '../../../lib/server-sent-events';

export interface RunStreamOptions {
  /** Aborting it ends the run on the server too. */
  signal?: AbortSignal;
  onLog?: (entry: LogEntry) => void;
}

export async function streamRun(path: string, body: unknown, { signal, onLog }: RunStreamOptions = {}) {
  const response = await apiFetch(path, { method: 'POST', body, signal, headers: { Accept: 'text/event-stream' } });
  if (!response.body || !response.headers.get('Content-Type')?.startsWith('text/event-stream')) {
    return (await response.json()) as RunResult;
  }
  let result: RunResult | undefined;
  const parser = eventStreamParser(({ event, data }) => {
    if (event === 'log') onLog?.(JSON.parse(data) as LogEntry);
    else if (event === 'result') result = JSON.parse(data) as RunResult;
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  while (!result) {
    const { done, value } = await reader.read();
    if (done) {
      parser.end();
      break;
    }
    parser.push(decoder.decode(value, { stream: true }));
  }
  if (!result) throw new ApiError(0, 'stream-ended', 'The connection ended before the run’s result came. Try again.');
  void reader.cancel().catch(() => {});
  return result;
}
