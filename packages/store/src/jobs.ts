/**
 * Jobs: load tests and batch runs of a saved acorn, stored so that any number of workers (server processes, or
 * Lambdas fed by SQS) can share them and a job survives any of them dying. Decision 009 explains the design.
 *
 * In the `jobs` table, under the job's partition `JOB#{id}`:
 * - `JOB`: what to run (the acorn version's code, the load input), its shape and status, and once finished its
 *   final summary;
 * - `LANE#{k}`: one per unit of concurrency. Lane k runs slices k, k + lanes, k + 2·lanes, … one after another;
 *   `position` counts the slices it has finished. A worker holds a lane by a lease (owner + expiry, renewed by
 *   heartbeats); an expired lease is claimed again. The lane keeps the summary of its finished slices and the
 *   partial summary of the one in progress (written at heartbeats, for live progress). Only the lease holder writes
 *   a lane, and finishing a slice is one conditional write (holder and position must match), so no two workers ever
 *   count an iteration twice and summaries merge without a read-modify-write race;
 * - `INPUTS#{slice}`: a batch's inputs, per slice (a job's inputs may be 1 MiB; an item is at most 400 KB).
 * Beside them: `BY#{acornId}#{creatorId}` lists a creator's jobs on an acorn, `ACTIVE#{creatorId}` holds the
 * creator's active-job slots (one item per slot, claimed with a conditional put), and `QUEUE` lists the jobs
 * local workers look for lanes in (on AWS the SQS queue does that instead).
 *
 * In `jobResults`: one item per finished iteration keyed by (job id, iteration), put only if absent.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { JobKind, JobResult, JobStatus } from '@squirrelbin/schemas';
import type { ListResult } from './acorns.ts';
import type { StoreConnection } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { newId } from './ids.ts';
import { batchPut, conditionally } from './writes.ts';

export const JOB_RETENTION_DAYS = 30;
const day = 86_400_000;

const jobKey = (id: string) => `JOB#${id}`;
const laneKey = (lane: number) => `LANE#${String(lane).padStart(3, '0')}`;
const inputsKey = (slice: number) => `INPUTS#${String(slice).padStart(5, '0')}`;
const byKey = (acornId: string, creatorId: string) => `BY#${acornId}#${creatorId}`;
const activeKey = (creatorId: string) => `ACTIVE#${creatorId}`;
const QUEUE = 'QUEUE';
const ID = /^[A-Za-z0-9_-]{16,64}$/;
const BY_SK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{16,64}$/;

/** A job as stored: what it runs and its state. Summaries are the API's JSON (opaque to the store). */
export interface StoredJob {
  id: string;
  acornId: string;
  acornVersion: number;
  creatorId: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  concurrency: number;
  lanes: number;
  sliceSize: number;
  language: 'javascript' | 'typescript';
  code: string;
  /** A load job's input as JSON (absent: no input). */
  inputJson?: string;
  /** The run deadline each iteration gets, when the creator asked for one. */
  timeoutMs?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The final summary (JSON), written once when the job finished. */
  summary?: string;
}

export interface StoredLane {
  lane: number;
  /** Slices this lane has finished. */
  position: number;
  leaseOwner?: string;
  leaseExpiresAt?: number;
  /** Finished slices' summary (JSON). */
  summary?: string;
  /** The slice in progress: its summary so far (JSON), as of the last heartbeat. */
  partial?: string;
  /** Every slice of the lane is done. */
  finished: boolean;
  /** Stopped before its slices were done (the job was cancelled or failed). */
  stopped: boolean;
  /** Times the lane was taken from a holder whose lease had expired: a lane whose workers keep dying. */
  takeovers: number;
}

export type NewJob = Omit<StoredJob, 'id' | 'status' | 'createdAt' | 'lanes' | 'sliceSize'> & {
  lanes: number;
  sliceSize: number;
  /** A batch's inputs as JSON texts, cut into slices of `sliceSize`. */
  inputs?: string[];
};

/** One finished iteration as stored: the API's result with `value` as JSON text. */
export type StoredResult = Omit<JobResult, 'value'> & { valueJson?: string };

const jobAttributes = [
  'id',
  'acornId',
  'acornVersion',
  'creatorId',
  'kind',
  '#status',
  '#total',
  'concurrency',
  'lanes',
  'sliceSize',
  'createdAt',
  'startedAt',
  'finishedAt',
  'summary',
].join(', ');

export class JobStore {
  readonly #db: StoreConnection;
  readonly #retentionMs: number;
  constructor(db: StoreConnection, retentionDays = JOB_RETENTION_DAYS) {
    this.#db = db;
    this.#retentionMs = retentionDays * day;
  }

  get #jobs() {
    return this.#db.tables.jobs;
  }

  #expiresAt(now: number) {
    return Math.floor((now + this.#retentionMs) / 1000);
  }

  /**
   * Takes one of the creator's `maxActive` active-job slots for `jobId`: a free slot, or one whose job is finished
   * (or gone). False when every slot holds an active job. `isActive` tells whether a slot's job still is.
   */
  async claimActiveSlot(
    creatorId: string,
    jobId: string,
    maxActive: number,
    isActive: (jobId: string) => Promise<boolean>,
  ): Promise<boolean> {
    // Another start or a job's end may change a slot between the read and the write: read again, a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { Items = [] } = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#jobs,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': activeKey(creatorId) },
          ConsistentRead: true,
        }),
      );
      const held = new Map(Items.map((item) => [String(item.sk), String(item.jobId)]));
      let contended = false;
      for (let slot = 0; slot < maxActive; slot++) {
        const holder = held.get(String(slot));
        if (holder !== undefined && (await isActive(holder))) continue;
        const taken = await conditionally(() =>
          this.#db.doc.send(
            new PutCommand({
              TableName: this.#jobs,
              Item: { pk: activeKey(creatorId), sk: String(slot), jobId },
              // Free, or still held by the finished job we saw (or freed since).
              ConditionExpression:
                holder === undefined ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR jobId = :holder',
              ExpressionAttributeValues: holder === undefined ? undefined : { ':holder': holder },
            }),
          ),
        );
        if (taken) return true;
        contended = true; // another start took it first
      }
      if (!contended) return false;
    }
    return false;
  }

  /** Frees the slot a finished job held (if it still holds one). */
  async releaseActiveSlot(creatorId: string, jobId: string, maxActive: number): Promise<void> {
    for (let slot = 0; slot < maxActive; slot++) {
      const freed = await conditionally(() =>
        this.#db.doc.send(
          new DeleteCommand({
            TableName: this.#jobs,
            Key: { pk: activeKey(creatorId), sk: String(slot) },
            ConditionExpression: 'jobId = :job',
            ExpressionAttributeValues: { ':job': jobId },
          }),
        ),
      );
      if (freed) return;
    }
  }

  /**
   * Writes a new job (status `queued`), its lanes, a batch's inputs and its list entry; `localQueue` also lists it
   * for local workers. The job item, then the queue entry, go last: a job that can be read is complete, and a queued
   * id always has its job.
   */
  async create(job: NewJob, options: { id?: string; localQueue: boolean }, now = Date.now()): Promise<StoredJob> {
    const id = options.id ?? newId();
    const createdAt = new Date(now).toISOString();
    const expiresAt = this.#expiresAt(now);
    const { inputs, ...fields } = job;
    const stored: StoredJob = { ...fields, id, status: 'queued', createdAt };
    const pk = jobKey(id);
    const puts: Record<string, unknown>[] = [];
    for (let lane = 0; lane < job.lanes; lane++) {
      puts.push({ pk, sk: laneKey(lane), lane, position: 0, finished: false, stopped: false, takeovers: 0, expiresAt });
    }
    if (inputs) {
      for (let slice = 0; slice * job.sliceSize < inputs.length; slice++) {
        const chunk = inputs.slice(slice * job.sliceSize, (slice + 1) * job.sliceSize);
        puts.push({ pk, sk: inputsKey(slice), inputs: `[${chunk.join(',')}]`, expiresAt });
      }
    }
    puts.push({ pk: byKey(job.acornId, job.creatorId), sk: `${createdAt}#${id}`, jobId: id, expiresAt });
    // Up to 50 lanes and 63 input items: 25 per request, the requests in parallel.
    await batchPut(this.#db, this.#jobs, puts, 'job');
    await this.#db.doc.send(new PutCommand({ TableName: this.#jobs, Item: { pk, sk: 'JOB', ...stored, expiresAt } }));
    // Listed for local workers last: a worker that finds a queued id finds its job.
    if (options.localQueue) {
      await this.#db.doc.send(
        new PutCommand({ TableName: this.#jobs, Item: { pk: QUEUE, sk: id, queuedAt: now, expiresAt } }),
      );
    }
    return stored;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    if (!ID.test(id)) return undefined;
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#jobs, Key: { pk: jobKey(id), sk: 'JOB' }, ConsistentRead: true }),
    );
    return Item ? toJob(Item) : undefined;
  }

  async lanes(id: string): Promise<StoredLane[]> {
    const { Items = [] } = await this.#db.doc.send(
      new QueryCommand({
        TableName: this.#jobs,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lane)',
        ExpressionAttributeValues: { ':pk': jobKey(id), ':lane': 'LANE#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(toLane);
  }

  /** A batch slice's inputs, in order. */
  async sliceInputs(id: string, slice: number): Promise<unknown[]> {
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#jobs, Key: { pk: jobKey(id), sk: inputsKey(slice) } }),
    );
    if (!Item) return [];
    // Stored as one JSON array text.
    return JSON.parse(String(Item.inputs)) as unknown[];
  }

  /** The jobs local workers should look at (queued or running, or finishing), with when each was queued. */
  async queued(): Promise<{ id: string; queuedAt: number }[]> {
    const { Items = [] } = await this.#db.doc.send(
      new QueryCommand({
        TableName: this.#jobs,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': QUEUE },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({ id: String(item.sk), queuedAt: Number(item.queuedAt ?? 0) }));
  }

  async unqueue(id: string): Promise<void> {
    await this.#db.doc.send(new DeleteCommand({ TableName: this.#jobs, Key: { pk: QUEUE, sk: id } }));
  }

  /**
   * Leases `lane` for `owner` until `expiresAt` when nobody holds it, the holder's lease expired, or it was handed
   * over to `handoff` (the token a finished step left for the next message, on AWS), and it is not done. Returns the
   * lane as taken, with `takeover` set when it was taken from a holder whose lease expired (who likely died).
   */
  async claimLane(
    id: string,
    lane: number,
    owner: string,
    expiresAt: number,
    options: { handoff?: string; now?: number } = {},
  ): Promise<(StoredLane & { takeover: boolean }) | undefined> {
    const now = options.now ?? Date.now();
    const claimed = await conditionally(() =>
      this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#jobs,
          Key: { pk: jobKey(id), sk: laneKey(lane) },
          UpdateExpression: 'SET leaseOwner = :owner, leaseExpiresAt = :expires',
          ConditionExpression:
            'attribute_exists(pk) AND finished = :no AND stopped = :no AND (attribute_not_exists(leaseOwner) OR leaseExpiresAt < :now OR leaseOwner = :handoff)',
          ExpressionAttributeValues: {
            ':owner': owner,
            ':expires': expiresAt,
            ':no': false,
            ':now': now,
            ':handoff': options.handoff ?? '-',
          },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    if (!claimed?.Attributes) return undefined;
    const before = toLane(claimed.Attributes);
    const takeover =
      before.leaseOwner !== undefined &&
      before.leaseOwner !== options.handoff &&
      !before.leaseOwner.startsWith('handoff#');
    const taken = { ...before, leaseOwner: owner, leaseExpiresAt: expiresAt, takeover };
    if (takeover) {
      taken.takeovers++;
      await this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#jobs,
          Key: { pk: jobKey(id), sk: laneKey(lane) },
          UpdateExpression: 'ADD takeovers :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    }
    return taken;
  }

  /** Passes the lease on to `to.owner` (a token the next message claims with) until `to.expiresAt`. */
  async handOver(id: string, lane: number, owner: string, to: { owner: string; expiresAt: number }): Promise<boolean> {
    return this.#laneUpdate(id, lane, owner, 'SET leaseOwner = :next, leaseExpiresAt = :expires', {
      ':next': to.owner,
      ':expires': to.expiresAt,
    });
  }

  /** A lane as it is now. */
  async lane(id: string, lane: number): Promise<StoredLane | undefined> {
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#jobs, Key: { pk: jobKey(id), sk: laneKey(lane) }, ConsistentRead: true }),
    );
    return Item ? toLane(Item) : undefined;
  }

  /** Renews a lease and records the slice's summary so far; false when the lease is no longer this owner's. */
  async heartbeat(id: string, lane: number, owner: string, expiresAt: number, partial: string): Promise<boolean> {
    return this.#laneUpdate(id, lane, owner, 'SET leaseExpiresAt = :expires, sliceTally = :partial', {
      ':expires': expiresAt,
      ':partial': partial,
    });
  }

  /**
   * Records that the lane finished the slice at `position`: its summary now covers it, the partial is cleared, and
   * either the lease continues (`next`) or the lane is done (`finished`: every slice; `stopped`: the job ended).
   */
  async completeSlice(
    id: string,
    lane: number,
    owner: string,
    position: number,
    summary: string,
    next: { expiresAt: number } | 'finished' | 'stopped',
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ':position': position, ':next': position + 1, ':summary': summary };
    let update: string;
    if (next === 'finished' || next === 'stopped') {
      update = `SET #position = :next, summary = :summary, ${next} = :yes REMOVE sliceTally, leaseOwner, leaseExpiresAt`;
      values[':yes'] = true;
    } else {
      update = 'SET #position = :next, summary = :summary, leaseExpiresAt = :expires REMOVE sliceTally';
      values[':expires'] = next.expiresAt;
    }
    return this.#laneUpdate(id, lane, owner, update, values, 'AND #position = :position');
  }

  /** Stops a lane nobody holds (or whose holder's lease expired) that has not started a slice: a cancelled job's. */
  async stopIdleLane(id: string, lane: number, now = Date.now()): Promise<boolean> {
    const stopped = await conditionally(() =>
      this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#jobs,
          Key: { pk: jobKey(id), sk: laneKey(lane) },
          UpdateExpression: 'SET stopped = :yes',
          ConditionExpression:
            'finished = :no AND stopped = :no AND attribute_not_exists(sliceTally) AND (attribute_not_exists(leaseOwner) OR leaseExpiresAt < :now)',
          ExpressionAttributeValues: { ':yes': true, ':no': false, ':now': now },
        }),
      ),
    );
    return stopped !== undefined;
  }

  /** Gives a lane back (shutdown): another worker may take it at once. */
  async releaseLane(id: string, lane: number, owner: string): Promise<boolean> {
    return this.#laneUpdate(id, lane, owner, 'REMOVE leaseOwner, leaseExpiresAt', {});
  }

  async #laneUpdate(
    id: string,
    lane: number,
    owner: string,
    update: string,
    values: Record<string, unknown>,
    extraCondition = '',
  ): Promise<boolean> {
    const updated = await conditionally(() =>
      this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#jobs,
          Key: { pk: jobKey(id), sk: laneKey(lane) },
          UpdateExpression: update,
          ConditionExpression: `leaseOwner = :owner ${extraCondition}`,
          ExpressionAttributeNames: update.includes('#position') ? { '#position': 'position' } : undefined,
          ExpressionAttributeValues: { ...values, ':owner': owner },
        }),
      ),
    );
    return updated !== undefined;
  }

  /** A conditional update of the job item (`#status` names its status); false when the condition failed. */
  async #updateJob(id: string, update: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    const updated = await conditionally(() =>
      this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#jobs,
          Key: { pk: jobKey(id), sk: 'JOB' },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return updated !== undefined;
  }

  /** `queued` → `running`, once, with the time the first lane started. */
  async markStarted(id: string, now = Date.now()): Promise<void> {
    await this.#updateJob(id, 'SET #status = :running, startedAt = :now', '#status = :queued', {
      ':running': 'running',
      ':queued': 'queued',
      ':now': new Date(now).toISOString(),
    });
  }

  /** Ends an active job early (`cancelled` or `failed`); false when it had already ended. */
  async end(id: string, status: 'cancelled' | 'failed'): Promise<boolean> {
    return this.#updateJob(id, 'SET #status = :status', '#status IN (:queued, :running)', {
      ':status': status,
      ':queued': 'queued',
      ':running': 'running',
    });
  }

  /**
   * Writes the final summary once every lane is done: `succeeded` for a job still active, its own status for one
   * cancelled or failed. False when another worker finalized it first.
   */
  async finalize(id: string, summary: string, now = Date.now()): Promise<boolean> {
    const at = new Date(now).toISOString();
    const once = 'attribute_not_exists(finishedAt)';
    return (
      (await this.#updateJob(
        id,
        'SET summary = :summary, finishedAt = :at, startedAt = if_not_exists(startedAt, :at), #status = :status',
        `${once} AND #status IN (:queued, :running)`,
        { ':summary': summary, ':at': at, ':status': 'succeeded', ':queued': 'queued', ':running': 'running' },
      )) ||
      (await this.#updateJob(
        id,
        'SET summary = :summary, finishedAt = :at',
        `${once} AND #status IN (:cancelled, :failed)`,
        { ':summary': summary, ':at': at, ':cancelled': 'cancelled', ':failed': 'failed' },
      ))
    );
  }

  /** Records an iteration's result unless one is there already (then false: it was recorded before). */
  async putResult(id: string, result: StoredResult, now = Date.now()): Promise<boolean> {
    const put = await conditionally(() =>
      this.#db.doc.send(
        new PutCommand({
          TableName: this.#db.tables.jobResults,
          Item: { jobId: id, ...result, expiresAt: this.#expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(iteration)',
        }),
      ),
    );
    return put !== undefined;
  }

  /** The recorded results of iterations `from` to `to` (inclusive), in order. */
  async resultsBetween(id: string, from: number, to: number): Promise<StoredResult[]> {
    const results: StoredResult[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#db.tables.jobResults,
          KeyConditionExpression: 'jobId = :id AND iteration BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':id': id, ':from': from, ':to': to },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) results.push(toResult(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return results;
  }

  /** Results in iteration order, `limit` from the cursor on. */
  async results(
    id: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<ListResult<StoredResult>> {
    const shape = { jobId: id, iteration: /^\d{1,5}$/ };
    const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, shape);
    if (options.cursor !== undefined && !cursor) return { ok: false, error: 'bad-cursor' };
    const items: StoredResult[] = [];
    let start: Record<string, unknown> | undefined = cursor
      ? { jobId: id, iteration: Number(cursor.iteration) }
      : undefined;
    // One more than asked: a last page that is exactly full then says so (no cursor to an empty page).
    do {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#db.tables.jobResults,
          KeyConditionExpression: 'jobId = :id',
          ExpressionAttributeValues: { ':id': id },
          ExclusiveStartKey: start,
          Limit: options.limit + 1 - items.length,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) items.push(toResult(item));
      start = page.LastEvaluatedKey;
    } while (start && items.length <= options.limit);
    const more = items.length > options.limit;
    items.length = Math.min(items.length, options.limit);
    const last = items.at(-1);
    const nextCursor = more && last ? encodeCursor({ jobId: id, iteration: String(last.iteration) }) : null;
    return { ok: true, page: { items, nextCursor } };
  }

  /** A creator's jobs on an acorn, newest first. */
  async listFor(
    acornId: string,
    creatorId: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<ListResult<StoredJob>> {
    const pk = byKey(acornId, creatorId);
    const shape = { pk, sk: BY_SK };
    const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, shape);
    if (options.cursor !== undefined && !cursor) return { ok: false, error: 'bad-cursor' };
    const page = await this.#db.doc.send(
      new QueryCommand({
        TableName: this.#jobs,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        ExclusiveStartKey: cursor,
        Limit: options.limit,
      }),
    );
    const ids = (page.Items ?? []).map((item) => String(item.jobId));
    const jobs = await this.#getMany(ids);
    const items = ids.map((id) => jobs.get(id)).filter((job): job is StoredJob => job !== undefined);
    const nextCursor = page.LastEvaluatedKey ? encodeCursor({ pk, sk: String(page.LastEvaluatedKey.sk) }) : null;
    return { ok: true, page: { items, nextCursor } };
  }

  async #getMany(ids: string[]): Promise<Map<string, StoredJob>> {
    const found = new Map<string, StoredJob>();
    if (ids.length === 0) return found;
    let keys: Record<string, unknown>[] = ids.map((id) => ({ pk: jobKey(id), sk: 'JOB' }));
    for (let attempt = 0; keys.length > 0 && attempt < 5; attempt++) {
      const { Responses, UnprocessedKeys } = await this.#db.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.#jobs]: {
              Keys: keys,
              ProjectionExpression: jobAttributes,
              ExpressionAttributeNames: { '#status': 'status', '#total': 'total' },
            },
          },
        }),
      );
      for (const item of Responses?.[this.#jobs] ?? []) {
        const job = toJob(item);
        found.set(job.id, job);
      }
      keys = (UnprocessedKeys?.[this.#jobs]?.Keys ?? []) as Record<string, unknown>[];
    }
    return found;
  }
}

function toJob(item: Record<string, unknown>): StoredJob {
  const job: StoredJob = {
    id: String(item.id),
    acornId: String(item.acornId),
    acornVersion: Number(item.acornVersion),
    creatorId: String(item.creatorId),
    kind: item.kind as JobKind,
    status: item.status as JobStatus,
    total: Number(item.total),
    concurrency: Number(item.concurrency),
    lanes: Number(item.lanes),
    sliceSize: Number(item.sliceSize),
    language: (item.language ?? 'javascript') as StoredJob['language'],
    code: String(item.code ?? ''),
    createdAt: String(item.createdAt),
  };
  if (typeof item.inputJson === 'string') job.inputJson = item.inputJson;
  if (typeof item.timeoutMs === 'number') job.timeoutMs = item.timeoutMs;
  if (typeof item.startedAt === 'string') job.startedAt = item.startedAt;
  if (typeof item.finishedAt === 'string') job.finishedAt = item.finishedAt;
  if (typeof item.summary === 'string') job.summary = item.summary;
  return job;
}

function toLane(item: Record<string, unknown>): StoredLane {
  const lane: StoredLane = {
    lane: Number(item.lane),
    position: Number(item.position ?? 0),
    finished: item.finished === true,
    stopped: item.stopped === true,
    takeovers: Number(item.takeovers ?? 0),
  };
  if (typeof item.leaseOwner === 'string') lane.leaseOwner = item.leaseOwner;
  if (typeof item.leaseExpiresAt === 'number') lane.leaseExpiresAt = item.leaseExpiresAt;
  if (typeof item.summary === 'string') lane.summary = item.summary;
  if (typeof item.sliceTally === 'string') lane.partial = item.sliceTally;
  return lane;
}

function toResult(item: Record<string, unknown>): StoredResult {
  const result: StoredResult = {
    iteration: Number(item.iteration),
    status: item.status as StoredResult['status'],
    wallMs: Number(item.wallMs),
    cpuMs: Number(item.cpuMs),
  };
  if (typeof item.valueJson === 'string') result.valueJson = item.valueJson;
  if (typeof item.preview === 'string') result.preview = item.preview;
  if (item.error && typeof item.error === 'object') result.error = item.error as StoredResult['error'];
  return result;
}
