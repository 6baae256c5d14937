/** Recorder and flusher together: what a server or Lambda entry holds. */
import type { StoreConnection } from '@squirrelbin/store';
import type { EmfSink } from './emf.ts';
import { createFlusher, type Flusher, type FlushResult } from './flusher.ts';
import { createRecorder, type Recorder } from './recorder.ts';

export interface MetricsOptions {
  /** The store whose metrics table flushes add into; unset on Lambda, where EMF is the record (decision 006). */
  connection?: Pick<StoreConnection, 'doc' | 'tables'> | undefined;
  /** Timer flush period; 0 flushes only on demand (Lambda flushes at the end of each invocation). */
  flushMs: number;
  retentionDays: number;
  /** Publish CloudWatch EMF lines (on Lambda); `true` writes to stdout. */
  emf?: boolean | { sink?: EmfSink; namespace?: string } | undefined;
  onError?: ((error: unknown) => void) | undefined;
  writerId?: string | undefined;
}

export interface Metrics extends Pick<Recorder, 'record'>, Flusher {}

export function createMetrics(options: MetricsOptions): Metrics {
  const recorder = createRecorder();
  const flusher = createFlusher(recorder, options);
  return {
    record: recorder.record,
    flush: (): Promise<FlushResult> => flusher.flush(),
    close: (): Promise<FlushResult> => flusher.close(),
  };
}
