import type { Job } from '@squirrelbin/schemas';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { jsonResponse } from '../../../testing/render';
import { eventStreamResponse, fakeJob, finishedJob, sseEvent } from '../testing';
import { followJob, streamJobEvents } from './stream-job-events';

const progress = (done: number) => fakeJob({ done });

function withKey() {
  localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_me', id: 'me' }));
}

describe('streamJobEvents', () => {
  it('asks for an event stream with the Bearer key, hands over each progress, and returns the done job', async () => {
    withKey();
    const text = `: hello\n\n${sseEvent('progress', progress(10))}${sseEvent('progress', progress(90))}${sseEvent('done', finishedJob())}`;
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      // Cut mid-line and mid-event.
      eventStreamResponse([text.slice(0, 7), text.slice(7, 300), text.slice(300)]),
    );
    vi.stubGlobal('fetch', fetch);
    const seen: number[] = [];
    await expect(streamJobEvents('job-1', { onProgress: (job) => seen.push(job.done) })).resolves.toEqual(
      finishedJob(),
    );
    expect(seen).toEqual([10, 90]);
    expect(fetch.mock.calls[0]![0]).toBe('/api/jobs/job-1/events');
    const headers = new Headers(fetch.mock.calls[0]![1]!.headers);
    expect(headers.get('Accept')).toBe('text/event-stream');
    expect(headers.get('Authorization')).toBe('Bearer sqb_me');
  });

  it('answers at once for a finished job (one done event)', async () => {
    vi.stubGlobal('fetch', async () => eventStreamResponse([sseEvent('done', finishedJob())]));
    const onProgress = vi.fn();
    await expect(streamJobEvents('job-1', { onProgress })).resolves.toMatchObject({ status: 'succeeded' });
    expect(onProgress).not.toHaveBeenCalled();
  });

  it('takes an event without its last blank line (a proxy may drop it)', async () => {
    const done = sseEvent('done', finishedJob()).trimEnd();
    vi.stubGlobal('fetch', async () => eventStreamResponse([done]));
    await expect(streamJobEvents('job-1')).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('stops reading at done, even if the server keeps the stream open', async () => {
    vi.stubGlobal('fetch', async () => eventStreamResponse([sseEvent('done', finishedJob())], { open: true }));
    await expect(streamJobEvents('job-1')).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('throws when the stream ends before done', async () => {
    vi.stubGlobal('fetch', async () => eventStreamResponse([sseEvent('progress', progress(3))]));
    const error = await streamJobEvents('job-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ type: 'stream-ended' });
  });

  it('takes a JSON answer: a finished job is the end, a running one is progress', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(200, finishedJob()));
    await expect(streamJobEvents('job-1')).resolves.toMatchObject({ status: 'succeeded' });
    vi.stubGlobal('fetch', async () => jsonResponse(200, progress(5)));
    const onProgress = vi.fn();
    await expect(streamJobEvents('job-1', { onProgress })).rejects.toMatchObject({ type: 'stream-ended' });
    expect(onProgress).toHaveBeenCalledWith(progress(5));
    // Cancelled but not ended (iterations in flight): still progress.
    vi.stubGlobal('fetch', async () => jsonResponse(200, fakeJob({ status: 'cancelled' })));
    await expect(streamJobEvents('job-1')).rejects.toMatchObject({ type: 'stream-ended' });
  });

  it('throws a problem answer as an ApiError', async () => {
    vi.stubGlobal('fetch', async () =>
      jsonResponse(404, { type: 'urn:squirrelbin:problem:job-not-found', title: 'No such job', status: 404 }),
    );
    await expect(streamJobEvents('job-1')).rejects.toMatchObject({ status: 404, type: 'job-not-found' });
  });
});

describe('followJob', () => {
  it('reconnects when a stream ends early and returns the final job, handing over every state', async () => {
    const answers = [
      () => eventStreamResponse([sseEvent('progress', progress(50))]),
      () => Promise.reject(new TypeError('network down')),
      () => eventStreamResponse([sseEvent('progress', progress(150)), sseEvent('done', finishedJob())]),
    ];
    const fetch = vi.fn(async () => answers.shift()!());
    vi.stubGlobal('fetch', fetch);
    const seen: Job[] = [];
    const final = await followJob('job-1', { onProgress: (job) => seen.push(job), retryDelaysMs: [1] });
    expect(final).toEqual(finishedJob());
    expect(seen.map((job) => job.done)).toEqual([50, 150, 200]);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('gives up at once on an answer retrying cannot change (404)', async () => {
    const fetch = vi.fn(async () => jsonResponse(404, { type: 'urn:squirrelbin:problem:job-not-found', status: 404 }));
    vi.stubGlobal('fetch', fetch);
    await expect(followJob('job-1', { retryDelaysMs: [1] })).rejects.toMatchObject({ status: 404 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('gives up after so many failed connections in a row', async () => {
    const fetch = vi.fn(async () =>
      jsonResponse(503, { type: 'urn:squirrelbin:problem:store-unavailable', status: 503 }),
    );
    vi.stubGlobal('fetch', fetch);
    await expect(followJob('job-1', { retryDelaysMs: [1], maxFailures: 3 })).rejects.toMatchObject({ status: 503 });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('counts failures in a row only: a stream that brought progress resets them', async () => {
    let calls = 0;
    const fetch = vi.fn(async () => {
      calls += 1;
      if (calls >= 6) return eventStreamResponse([sseEvent('done', finishedJob())]);
      return eventStreamResponse([sseEvent('progress', progress(calls))]);
    });
    vi.stubGlobal('fetch', fetch);
    await expect(followJob('job-1', { retryDelaysMs: [1], maxFailures: 2 })).resolves.toMatchObject({
      status: 'succeeded',
    });
  });

  it('resolves undefined once aborted, without connecting again', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(async () => eventStreamResponse([sseEvent('progress', progress(1))]));
    vi.stubGlobal('fetch', fetch);
    const following = followJob('job-1', {
      signal: controller.signal,
      retryDelaysMs: [60_000],
      onProgress: () => controller.abort(),
    });
    await expect(following).resolves.toBeUndefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
