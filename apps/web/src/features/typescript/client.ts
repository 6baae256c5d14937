/**
 * The editor's side of the type-check worker: one worker for the page, started on the first request (so only when a
 * TypeScript acorn is open in an editor), answering requests in order.
 */
import type { TsRequests, TsRequestType, TsResponseMessage, TsResponses } from './protocol';

let worker: Worker | undefined;
/** Set when the worker could not start or died: tooling then stays quiet instead of retrying on every keystroke. */
let broken = false;
let sequence = 0;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function start(): Worker {
  const started = new Worker(new URL('./typescript.worker.ts', import.meta.url), {
    type: 'module',
    name: 'typescript',
  });
  started.onmessage = (event: MessageEvent<TsResponseMessage>) => {
    const response = event.data;
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new Error(response.error));
  };
  started.onerror = (event) => {
    event.preventDefault();
    broken = true;
    console.warn('TypeScript checking is unavailable:', event.message || 'the worker failed to start');
    for (const waiting of pending.values()) waiting.reject(new Error('The TypeScript worker stopped'));
    pending.clear();
    started.terminate();
    if (worker === started) worker = undefined;
  };
  return started;
}

/** Asks the worker; rejects when it is unavailable. */
export function requestTypeScript<K extends TsRequestType>(type: K, args: TsRequests[K]): Promise<TsResponses[K]> {
  // Closing a file of a worker that never started has nothing to do.
  if (type === 'close' && !worker) return Promise.resolve(null as TsResponses[K]);
  if (broken) return Promise.reject(new Error('The TypeScript worker is unavailable'));
  worker ??= start();
  const id = ++sequence;
  return new Promise<TsResponses[K]>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    worker!.postMessage({ id, type, args });
  });
}
