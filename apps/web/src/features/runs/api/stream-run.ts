/**
 * A run over server-sent events: each console line is handed over as it happens, then the result. A proxy that
 * answers plain JSON (or buffers the events until the end) gives the same result, only without the live lines.
 */
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import { ApiError, apiFetch } from '../../../lib/api-client';
import { isEventStream, readEventStream } from '../../../lib/server-sent-events';

export interface RunStreamOptions {
  /** Aborting it ends the run on the server too. */
  signal?: AbortSignal;
  onLog?: (entry: LogEntry) => void;
}

export async function streamRun(path: string, body: unknown, { signal, onLog }: RunStreamOptions = {}) {
  const response = await apiFetch(path, { method: 'POST', body, signal, headers: { Accept: 'text/event-stream' } });
  if (!isEventStream(response)) return (await response.json()) as RunResult;
  let result: RunResult | undefined;
  await readEventStream(response.body as ReadableStream<Uint8Array>, ({ event, data }) => {
    if (event === 'log') onLog?.(JSON.parse(data) as LogEntry);
    else if (event === 'result') result = JSON.parse(data) as RunResult;
    return result !== undefined;
  });
  if (!result) throw new ApiError(0, 'stream-ended', 'The connection ended before the run’s result came. Try again.');
  return result;
}
