/** Hono middleware recording every request's endpoint, status and latency. */
import type { Context, MiddlewareHandler } from 'hono';
import type { Recorder, RunOutcome } from './recorder.ts';

/** Endpoint name recorded for requests no route matched. */
export const unmatchedEndpoint = 'unmatched';

export interface MetricsMiddlewareOptions<C extends Context = Context> {
  /** The route's endpoint name (set by the route); undefined is recorded as `unmatched`. */
  endpointOf(c: C): string | undefined;
  /** Another endpoint name to record the same request under as well (e.g. one series per endpoint acorn). */
  alsoOf?: ((c: C) => string | undefined) | undefined;
  /**
   * A streamed answer's end: the request is recorded when it settles (its latency is the whole stream), not when
   * the handler returned the stream.
   */
  settledOf?: ((c: C) => Promise<unknown> | undefined) | undefined;
  /** How a run ended, on run routes (also `rejected` for their 429/503); undefined elsewhere. */
  outcomeOf?: ((c: C) => RunOutcome | undefined) | undefined;
}

/**
 * Records each request into `recorder` after the rest of the chain has answered. Put it first,
 * outside the error handler's reach: a thrown error that gets here is recorded as a 500 and rethrown.
 *
 * @example
 * app.use(metricsMiddleware(metrics, {
 *   endpointOf: (c) => c.get('endpoint'),
 *   outcomeOf: (c) => c.get('runOutcome'),
 * }));
 */
// biome-ignore lint/suspicious/noExplicitAny: any Env, so apps with their own Variables can use it
export function metricsMiddleware<C extends Context<any> = Context>(
  recorder: Pick<Recorder, 'record'>,
  options: MetricsMiddlewareOptions<C>,
): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = 500;
      throw error;
    } finally {
      const context = c as C;
      const settled = options.settledOf ? safely(() => options.settledOf!(context)) : undefined;
      if (settled) void settled.then(record, record);
      else record();
    }
    function record() {
      const latencyMs = performance.now() - started;
      const context = c as C;
      const sample = {
        endpoint: safely(() => options.endpointOf(context)) ?? unmatchedEndpoint,
        status: status ?? c.res.status,
        latencyMs,
        outcome: options.outcomeOf ? safely(() => options.outcomeOf!(context)) : undefined,
      };
      recorder.record(sample);
      const also = options.alsoOf ? safely(() => options.alsoOf!(context)) : undefined;
      if (also) recorder.record({ ...sample, endpoint: also });
    }
  };
}

/** A metrics accessor must never turn a served request into a failure. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
