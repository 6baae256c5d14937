/**
 * Moves recorded buckets into the metrics table with atomic `ADD`s, each process into items of its
 * own (the reader adds them up). A write that fails stays queued with its sequence number and is
 * retried as is; the item's `seq` condition refuses it if the first try had landed. On Lambda there
 * is no table: each flush only prints the buckets as CloudWatch EMF (decision 006).
 */
import { randomBytes } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreConnection } from '@squirrelbin/store';
import { type EmfSink, emitEmf, stdoutSink } from './emf.ts';
import { allResolutions, expiresAt, figureAttributes, floorTo, itemKey, type Resolution } from './items.ts';
import { addFigures, emptyFigures, type Figures, type Recorder } from './recorder.ts';

export interface FlusherOptions {
  /** The store holding the metrics table; unset: nothing is written (EMF only, as on Lambda). */
  connection?: Pick<StoreConnection, 'doc' | 'tables'> | undefined;
  /** Items carry `expiresAt` this many days after their bucket ends. */
  retentionDays: number;
  /** Flush on a timer this often (unref'd, so it never keeps the process alive); 0 or unset: only on demand. */
  flushMs?: number | undefined;
  /** Also publish each taken bucket as CloudWatch EMF (on Lambda); `true` writes to stdout. */
  emf?: boolean | { sink?: EmfSink; namespace?: string } | undefined;
  /** Told about failed writes (they are kept and retried); default: silent. */
  onError?: ((error: unknown) => void) | undefined;
  /** Names this process's items (no `#`); random by default, and must be unique per live process. */
  writerId?: string | undefined;
}

export interface FlushResult {
  /** Item writes that landed in this flush. */
  written: number;
  /** Item writes still queued (failed, or waiting behind one that failed). */
  pending: number;
  errors: unknown[];
}

export interface Flusher {
  /** Writes everything recorded so far; never rejects: failures stay queued for the next flush. */
  flush(): Promise<FlushResult>;
  /** Stops the timer and flushes a last time. */
  close(): Promise<FlushResult>;
}

interface PendingItem {
  pk: string;
  sk: string;
  endpoint: string;
  bucketStart: number;
  resolution: Resolution;
  /** The write in flight or failed: retried with the same sequence number and figures. */
  inflight?: { seq: number; figures: Figures } | undefined;
  /** Figures that arrived while `inflight` was unacknowledged. */
  queued?: Figures | undefined;
}

/** Parallel UpdateItems per flush: enough to hide round trips, few enough not to flood the store. */
const concurrency = 16;

export function createFlusher(recorder: Recorder, options: FlusherOptions): Flusher {
  const { connection, retentionDays } = options;
  const writer = options.writerId ?? randomBytes(6).toString('base64url');
  const emf = options.emf === true ? {} : options.emf || undefined;
  const sink = emf?.sink ?? stdoutSink;
  const items = new Map<string, PendingItem>();
  let seq = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const collect = (result: FlushResult) => {
    const buckets = recorder.take();
    if (emf) {
      try {
        emitEmf(buckets, sink, emf.namespace);
      } catch (error) {
        // A broken log sink must not lose what the table would keep.
        result.errors.push(error);
        options.onError?.(error);
      }
    }
    if (!connection) return;
    for (const bucket of buckets) {
      for (const resolution of allResolutions) {
        const bucketStart = floorTo(bucket.minute, resolution.ms);
        const { pk, sk } = itemKey(resolution, bucketStart, bucket.endpoint, writer);
        const id = `${pk}\n${sk}`;
        let item = items.get(id);
        if (!item) {
          item = { pk, sk, endpoint: bucket.endpoint, bucketStart, resolution };
          items.set(id, item);
        }
        if (!item.queued) item.queued = emptyFigures();
        addFigures(item.queued, bucket.figures);
      }
    }
  };

  /** Only called for queued items, and items are queued only when there is a table. */
  const write = async (item: PendingItem, inflight: { seq: number; figures: Figures }) => {
    const names: Record<string, string> = {
      '#endpoint': 'endpoint',
      '#t': 't',
      '#expiresAt': 'expiresAt',
      '#seq': 'seq',
    };
    const values: Record<string, unknown> = {
      ':endpoint': item.endpoint,
      ':t': new Date(item.bucketStart).toISOString(),
      ':expiresAt': expiresAt(item.bucketStart, item.resolution, retentionDays),
      ':seq': inflight.seq,
    };
    const adds: string[] = [];
    let n = 0;
    for (const [attribute, count] of figureAttributes(inflight.figures)) {
      names[`#a${n}`] = attribute;
      values[`:a${n}`] = count;
      adds.push(`#a${n} :a${n}`);
      n++;
    }
    try {
      await connection!.doc.send(
        new UpdateCommand({
          TableName: connection!.tables.metrics,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression:
            `SET #endpoint = :endpoint, #t = :t, #expiresAt = :expiresAt, #seq = :seq` +
            (adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''),
          ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // This sequence number is already applied: an earlier try landed but its reply was lost.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  };

  /** One pass: promote queued figures of idle items to writes, send them, keep what failed. */
  const pass = async (result: FlushResult) => {
    const work: PendingItem[] = [];
    for (const item of items.values()) {
      if (!item.inflight && item.queued) {
        item.inflight = { seq: ++seq, figures: item.queued };
        item.queued = undefined;
      }
      if (item.inflight) work.push(item);
    }
    let next = 0;
    let progressed = false;
    const worker = async () => {
      while (next < work.length) {
        const item = work[next++]!;
        const inflight = item.inflight!;
        try {
          await write(item, inflight);
          item.inflight = undefined;
          if (!item.queued) items.delete(`${item.pk}\n${item.sk}`);
          result.written++;
          progressed = true;
        } catch (error) {
          result.errors.push(error);
          options.onError?.(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker));
    return progressed;
  };

  const run = async (): Promise<FlushResult> => {
    const result: FlushResult = { written: 0, pending: 0, errors: [] };
    collect(result);
    // A second pass sends figures that had to wait behind a write acknowledged in the first.
    for (let i = 0; i < 2 && items.size > 0; i++) {
      if (!(await pass(result)) || result.errors.length > 0) break;
    }
    result.pending = items.size;
    return result;
  };

  const flush = () => {
    const next = chain.then(run);
    chain = next.catch(() => undefined);
    return next;
  };

  if (options.flushMs && options.flushMs > 0) {
    timer = setInterval(() => void flush(), options.flushMs);
    timer.unref();
  }

  return {
    flush,
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      return flush();
    },
  };
}
