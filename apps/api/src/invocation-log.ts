/**
 * Endpoint calls on their way to the invocations table: buffered and written in batches (BatchWriteItem, 25 a
 * request), so recording costs a call a few microseconds instead of a store request of its own. A batch leaves
 * when it is full or `maxDelayMs` after its first call; `flush()` writes everything now (before a list is read, at
 * the end of a Lambda invocation, at shutdown). A failed write is logged, never a failed call.
 */
import type { Invocation } from '@squirrelbin/schemas';
import type { InvocationStore, NewInvocation } from '@squirrelbin/store';

export interface InvocationLog {
  record(call: NewInvocation): void;
  flush(): Promise<void>;
}

const MAX_BATCH = 25;

export function createInvocationLog(store: InvocationStore, maxDelayMs = 1_000): InvocationLog {
  let pending: Invocation[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() => store.recordBatch(batch))
      .catch((error) =>
        console.error(JSON.stringify({ level: 'warn', message: `invocation log write failed: ${error}` })),
      );
    return writing;
  };

  return {
    record(call) {
      pending.push(store.prepare(call));
      if (pending.length >= MAX_BATCH) void write();
      else timer ??= setTimeout(write, maxDelayMs).unref();
    },
    flush: () => write(),
  };
}
