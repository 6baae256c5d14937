import { describe, expect, it } from 'vitest';
import { bucketOf } from './histogram.ts';
import { createRecorder, type RunOutcome, runOutcomes } from './recorder.ts';

const t0 = Date.UTC(2025, 10, 27, 10, 0, 0);

describe('recorder', () => {
  it('buckets by minute and endpoint, counting status classes and outcomes', () => {
    const recorder = createRecorder();
    recorder.record({ endpoint: 'acorns.get', status: 200, latencyMs: 3 }, t0);
    recorder.record({ endpoint: 'acorns.get', status: 304, latencyMs: 1 }, t0 + 59_999);
    recorder.record({ endpoint: 'acorns.get', status: 404, latencyMs: 2 }, t0 + 60_000);
    recorder.record({ endpoint: 'run.post', status: 200, latencyMs: 40, outcome: 'timeout' }, t0 + 1);
    recorder.record({ endpoint: 'run.post', status: 503, latencyMs: 0.5, outcome: 'rejected' }, t0 + 2);
    recorder.record({ endpoint: 'run.post', status: 500, latencyMs: 9 }, t0 + 3);
    recorder.record({ endpoint: 'run.post', status: 499, latencyMs: 7, outcome: 'cancelled' }, t0 + 4);

    const taken = recorder.take();
    expect(recorder.take()).toEqual([]);
    const find = (minute: number, endpoint: string) =>
      taken.find((b) => b.minute === minute && b.endpoint === endpoint)?.figures;
    expect(taken).toHaveLength(3);
    const get = find(t0, 'acorns.get')!;
    expect([get.requests, get.status2xx, get.status3xx, get.status4xx, get.status5xx]).toEqual([2, 1, 1, 0, 0]);
    expect(get.histogram[bucketOf(3)]).toBe(1);
    expect(find(t0 + 60_000, 'acorns.get')!.status4xx).toBe(1);
    const run = find(t0, 'run.post')!;
    expect([run.requests, run.status2xx, run.status4xx, run.status5xx]).toEqual([4, 1, 1, 2]);
    const counted = (outcome: RunOutcome) => run.outcomes[runOutcomes.indexOf(outcome)];
    expect(run.outcomes).toHaveLength(runOutcomes.length);
    expect(runOutcomes.map(counted)).toEqual(
      runOutcomes.map((outcome) => (['timeout', 'rejected', 'cancelled'].includes(outcome) ? 1 : 0)),
    );
  });
});
