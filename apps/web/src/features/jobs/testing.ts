/** Jobs and event-stream answers for the jobs feature's tests. */
import type { Job } from '@squirrelbin/schemas';

export function fakeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    acornId: 'acorn-1',
    acornVersion: 2,
    kind: 'load',
    status: 'running',
    total: 200,
    done: 0,
    concurrency: 8,
    counts: { ok: 0, error: 0, timeout: 0, memory: 0, killed: 0 },
    wallMs: { p50: null, p95: null, p99: null, max: null },
    cpuMs: { p50: null, p95: null, p99: null },
    runsPerSecond: 0,
    errors: [],
    wallMsHistogram: [],
    createdAt: '2026-03-01T10:00:00.000Z',
    startedAt: '2026-03-01T10:00:00.100Z',
    finishedAt: null,
    ...overrides,
  };
}

/** A finished job: every iteration ok, in two histogram buckets. */
export function finishedJob(overrides: Partial<Job> = {}): Job {
  return fakeJob({
    status: 'succeeded',
    done: 200,
    counts: { ok: 198, error: 2, timeout: 0, memory: 0, killed: 0 },
    wallMs: { p50: 1.2, p95: 3.4, p99: 5.6, max: 7.8 },
    cpuMs: { p50: 0.5, p95: 0.9, p99: 1.1 },
    runsPerSecond: 123.4,
    errors: [
      { iteration: 7, name: 'TypeError', message: 'x is undefined' },
      { iteration: 42, name: 'Error', message: 'boom' },
    ],
    wallMsHistogram: [
      { fromMs: 1, toMs: 1.2, count: 150 },
      { fromMs: 1.2, toMs: 1.44, count: 50 },
    ],
    finishedAt: '2026-03-01T10:00:02.000Z',
    ...overrides,
  });
}

/** A text/event-stream response whose body arrives in these pieces (then ends, or stays open with `open`). */
export function eventStreamResponse(chunks: string[], { open = false }: { open?: boolean } = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!open) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}

export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
