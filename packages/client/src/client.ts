/**
 * The typed SquirrelBin API client: one method per route of DESIGN.md, JSON in and out, the key as Bearer,
 * problem+json answers thrown as ApiError, ETag/If-Match for acorn versions, server-sent events for streamed runs
 * and job progress. Needs only `fetch` (Node 24, browsers).
 */
import type {
  Acorn,
  AcornList,
  CreateAcornBody,
  CreatedIdentity,
  CreateJobBody,
  ForkAcornBody,
  Health,
  IdentityMe,
  InvocationList,
  Job,
  JobList,
  JobResultList,
  LogEntry,
  MetricsResponse,
  MetricsStep,
  ModuleList,
  Revision,
  RevisionList,
  RunAcornBody,
  RunCodeBody,
  RunResult,
  UpdateAcornBody,
} from '@squirrelbin/schemas';
import { ApiError, toApiError } from './api-error.ts';
import { isEventStream, readEventStream } from './event-stream-reader.ts';
import { ApiTransport, type ClientOptions, queryString, type RequestOptions } from './transport.ts';

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export interface ListAcornsOptions extends PageQuery {
  /** Search text (titles). */
  q?: string;
  /** The caller's own acorns (needs a key) instead of public ones. */
  mine?: boolean;
}

export interface MetricsOptions {
  from?: string | number | Date;
  to?: string | number | Date;
  step?: MetricsStep;
}

export interface RunOptions {
  /** Ask for server-sent events (implied by `onLog`): `onLog` gets each console line as it happens. */
  stream?: boolean;
  onLog?: (entry: LogEntry) => void;
  /** Aborting ends the run on the server too. */
  signal?: AbortSignal;
}

export interface EndpointRequest {
  /** Below `/x/{id}`: `/users/7?x=1` (a leading `/` is added when missing). */
  path?: string;
  method?: string;
  headers?: Headers | Record<string, string> | [string, string][];
  body?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
}

export interface WatchJobOptions {
  /** Every progress event's job, the last one included. */
  onProgress?: (job: Job) => void;
  signal?: AbortSignal;
  /** Wait between reconnections when a stream ends before its `done` event; default 1 s. */
  retryMs?: number;
}

/**
 * A job is over once it has a `finishedAt`; a cancelled one has its status at once but records its runs in flight
 * before that. `succeeded` and `failed` count as over even without it (a `failed` job may never get one).
 */
const isOver = (job: Job) => job.finishedAt !== null || job.status === 'succeeded' || job.status === 'failed';
const id = encodeURIComponent;

const instant = (value: string | number | Date | undefined) =>
  value instanceof Date ? value.toISOString() : value === undefined ? undefined : String(value);

export class SquirrelBinClient extends ApiTransport {
  async #data<T>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(path, options)).data;
  }

  // Service

  /** `GET /api/health`. */
  health(): Promise<Health> {
    return this.#data('/api/health', { key: null });
  }

  /** `GET /api/openapi.json`: the OpenAPI 3.1 document. */
  openApi(): Promise<Record<string, unknown>> {
    return this.#data('/api/openapi.json', { key: null });
  }

  /** `GET /api/modules`: the npm packages acorns may import. */
  listModules(): Promise<ModuleList> {
    return this.#data('/api/modules', { key: null });
  }

  // Identities

  /** `POST /api/identities`: a new anonymous identity; its key is shown only this once. */
  createIdentity(): Promise<CreatedIdentity> {
    return this.#data('/api/identities', { method: 'POST', key: null });
  }

  /** `GET /api/identities/me`: who the key is (or `key`, to check another one). */
  me(options: { key?: string } = {}): Promise<IdentityMe> {
    return this.#data('/api/identities/me', options);
  }

  // Acorns

  /** `GET /api/acorns`: one page, newest first (public ones, or the caller's own with `mine`). */
  listAcorns(options: ListAcornsOptions = {}): Promise<AcornList> {
    const { limit, cursor, q, mine } = options;
    return this.#data(`/api/acorns${queryString({ limit, cursor, q, mine: mine ? 'true' : undefined })}`);
  }

  /** `POST /api/acorns`. */
  createAcorn(body: CreateAcornBody): Promise<Acorn> {
    return this.#data('/api/acorns', { method: 'POST', body });
  }

  /** `GET /api/acorns/{id}`; the acorn's `version` is its ETag. */
  getAcorn(acornId: string, options: { signal?: AbortSignal } = {}): Promise<Acorn> {
    return this.#data(`/api/acorns/${id(acornId)}`, options);
  }

  /** `GET /api/acorns/{id}` with `If-None-Match`: undefined while `version` is still current (304). */
  async getAcornIfChanged(acornId: string, version: number): Promise<Acorn | undefined> {
    const { data } = await this.request<Acorn>(`/api/acorns/${id(acornId)}`, {
      headers: { 'If-None-Match': `"${version}"` },
    });
    return data;
  }

  /**
   * `PATCH /api/acorns/{id}` with `If-Match` of the version the changes were made on (`*`: whatever is current). A
   * newer stored version throws ApiError 412 `version-mismatch` with `currentVersion`, and changes nothing.
   */
  updateAcorn(acornId: string, changes: UpdateAcornBody, options: { ifMatch: number | '*' }): Promise<Acorn> {
    const ifMatch = options.ifMatch === '*' ? '*' : `"${options.ifMatch}"`;
    return this.#data(`/api/acorns/${id(acornId)}`, {
      method: 'PATCH',
      body: changes,
      headers: { 'If-Match': ifMatch },
    });
  }

  /** `DELETE /api/acorns/{id}` (the owner, or an admin). */
  async deleteAcorn(acornId: string): Promise<void> {
    await this.send(`/api/acorns/${id(acornId)}`, { method: 'DELETE' });
  }

  /** `POST /api/acorns/{id}/fork`: a copy the caller owns (`forkOf` set). */
  forkAcorn(acornId: string, body?: ForkAcornBody): Promise<Acorn> {
    return this.#data(`/api/acorns/${id(acornId)}/fork`, { method: 'POST', body });
  }

  /** `GET /api/acorns/{id}/revisions`: earlier versions, newest first. */
  listRevisions(acornId: string, page: PageQuery = {}): Promise<RevisionList> {
    return this.#data(`/api/acorns/${id(acornId)}/revisions${queryString({ ...page })}`);
  }

  /** `GET /api/acorns/{id}/revisions/{version}`. */
  getRevision(acornId: string, version: number): Promise<Revision> {
    return this.#data(`/api/acorns/${id(acornId)}/revisions/${version}`);
  }

  // Runs

  /** `POST /api/acorns/{id}/run`: the run result, whatever the acorn did (`status` says how it ended). */
  runAcorn(acornId: string, body?: RunAcornBody, options: RunOptions = {}): Promise<RunResult> {
    return this.#run(`/api/acorns/${id(acornId)}/run`, body, options);
  }

  /** `POST /api/run`: runs unsaved code (or calls it as an endpoint handler with `request`). */
  runCode(body: RunCodeBody, options: RunOptions = {}): Promise<RunResult> {
    return this.#run('/api/run', body, options);
  }

  async #run(path: string, body: unknown, { stream, onLog, signal }: RunOptions): Promise<RunResult> {
    const streaming = stream ?? onLog !== undefined;
    const headers: Record<string, string> = streaming ? { Accept: 'text/event-stream' } : {};
    const response = await this.send(path, { method: 'POST', body, headers, signal });
    // A proxy that does not stream answers plain JSON: the same result, without the live lines.
    if (!streaming || !isEventStream(response)) return (await response.json()) as RunResult;
    let result: RunResult | undefined;
    await readEventStream(response.body!, ({ event, data }) => {
      if (event === 'log') onLog?.(JSON.parse(data) as LogEntry);
      else if (event === 'result') result = JSON.parse(data) as RunResult;
      return result !== undefined;
    });
    if (!result) throw new ApiError(0, 'stream-ended', 'The connection ended before the run’s result came. Try again.');
    return result;
  }

  // Endpoints

  /**
   * `ANY /x/{id}{path}`: the acorn's own answer, whatever its status (it carries `X-Run-Status`). SquirrelBin's own
   * refusals (404 not served, 413, 429, 503) are thrown as ApiError. The key is never sent: the acorn would see it.
   */
  async callEndpoint(acornId: string, request: EndpointRequest = {}): Promise<Response> {
    const path = request.path && !/^[/?#]/.test(request.path) ? `/${request.path}` : (request.path ?? '');
    const headers = new Headers(request.headers);
    const response = await this.call(`${this.baseUrl}/x/${id(acornId)}${path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body,
      signal: request.signal,
      redirect: 'manual',
    });
    if (!response.ok && !response.headers.has('X-Run-Status')) throw await toApiError(response);
    return response;
  }

  /** `GET /api/acorns/{id}/invocations`: an endpoint's recent calls, newest first (owner or admin). */
  listInvocations(acornId: string, page: PageQuery = {}): Promise<InvocationList> {
    return this.#data(`/api/acorns/${id(acornId)}/invocations${queryString({ ...page })}`);
  }

  /** `GET /api/acorns/{id}/metrics`: an endpoint's traffic as one series `acorn:{id}` (owner or admin). */
  acornMetrics(acornId: string, options: MetricsOptions = {}): Promise<MetricsResponse> {
    return this.#data(`/api/acorns/${id(acornId)}/metrics${metricsQuery(options)}`);
  }

  /** `GET /api/admin/metrics`: every endpoint's series (admin keys only). */
  adminMetrics(options: MetricsOptions = {}): Promise<MetricsResponse> {
    return this.#data(`/api/admin/metrics${metricsQuery(options)}`);
  }

  // Jobs

  /** `POST /api/acorns/{id}/jobs`: starts a load or batch job (202); it runs the acorn's current version. */
  createJob(acornId: string, body: CreateJobBody): Promise<Job> {
    return this.#data(`/api/acorns/${id(acornId)}/jobs`, { method: 'POST', body });
  }

  /** `GET /api/acorns/{id}/jobs`: the caller's jobs on this acorn, newest first. */
  listJobs(acornId: string, page: PageQuery = {}): Promise<JobList> {
    return this.#data(`/api/acorns/${id(acornId)}/jobs${queryString({ ...page })}`);
  }

  /** `GET /api/jobs/{jobId}`: status, progress and summary. */
  getJob(jobId: string, options: { signal?: AbortSignal } = {}): Promise<Job> {
    return this.#data(`/api/jobs/${id(jobId)}`, options);
  }

  /** `GET /api/jobs/{jobId}/results`: one item per finished iteration, by iteration. */
  listJobResults(jobId: string, page: PageQuery = {}): Promise<JobResultList> {
    return this.#data(`/api/jobs/${id(jobId)}/results${queryString({ ...page })}`);
  }

  /**
   * `GET /api/jobs/{jobId}/events`: follows the job's `progress` events until its `done` event, and resolves with
   * the finished job. A stream that ends early (a proxy, a restart) is picked up again.
   */
  async watchJob(jobId: string, { onProgress, signal, retryMs = 1_000 }: WatchJobOptions = {}): Promise<Job> {
    for (;;) {
      const response = await this.send(`/api/jobs/${id(jobId)}/events`, {
        headers: { Accept: 'text/event-stream' },
        signal,
      });
      let last: Job | undefined;
      if (isEventStream(response)) {
        await readEventStream(response.body!, ({ event, data }) => {
          if (event !== 'progress' && event !== 'done') return undefined;
          last = JSON.parse(data) as Job;
          onProgress?.(last);
          return event === 'done' || isOver(last);
        });
      } else {
        last = (await response.json()) as Job;
        onProgress?.(last);
      }
      if (last && isOver(last)) return last;
      const job = await this.getJob(jobId, { signal });
      if (isOver(job)) {
        onProgress?.(job);
        return job;
      }
      await sleep(retryMs, signal);
    }
  }

  /**
   * `DELETE /api/jobs/{jobId}`: no new iteration starts; those in flight finish and are recorded. Resolves with the
   * job as it is now (202), or undefined when it had already ended (204).
   */
  async cancelJob(jobId: string): Promise<Job | undefined> {
    return this.#data(`/api/jobs/${id(jobId)}`, { method: 'DELETE' });
  }
}

/** A client for one server: `createClient({ baseUrl: 'http://localhost:8787', key })`. */
export function createClient(options: ClientOptions = {}): SquirrelBinClient {
  return new SquirrelBinClient(options);
}

function metricsQuery({ from, to, step }: MetricsOptions): string {
  return queryString({ from: instant(from), to: instant(to), step });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
