/**
 * The SquirrelBin store: acorns, revisions, identities and rate-limit counters on DynamoDB (or the embedded
 * dynalite server), through `@aws-sdk/lib-dynamodb`. Knows nothing of HTTP.
 * @module
 */
import { AcornStore } from './acorns.ts';
import { connectStore, type StoreConfig, type StoreConnection } from './client.ts';
import { IdentityStore } from './identities.ts';
import { InvocationStore } from './invocations.ts';
import { JobStore } from './jobs.ts';
import { LimitStore } from './limits.ts';

export type { AcornChanges, ListOptions, ListResult, NewAcorn, Page, UpdateResult } from './acorns.ts';
export { AcornStore } from './acorns.ts';
export type { StoreConfig, StoreConnection } from './client.ts';
export { connectStore } from './client.ts';
export type { EmbeddedStore } from './embedded.ts';
export { startEmbeddedStore, startPrivateEmbeddedStore } from './embedded.ts';
export { isStoreUnavailable, storeRetryAfterSeconds } from './errors.ts';
export type { Identity } from './identities.ts';
export { IdentityStore } from './identities.ts';
export { hashKey } from './ids.ts';
export type { NewInvocation } from './invocations.ts';
export { INVOCATION_RETENTION_DAYS, InvocationStore } from './invocations.ts';
export type { NewJob, StoredJob, StoredLane, StoredResult } from './jobs.ts';
export { JOB_RETENTION_DAYS, JobStore } from './jobs.ts';
export { LimitStore } from './limits.ts';
export type { TableDefinition, TableNames } from './tables.ts';
export { acornIndexes, defaultTableNames, tableDefinitions } from './tables.ts';

export interface Store {
  connection: StoreConnection;
  acorns: AcornStore;
  identities: IdentityStore;
  limits: LimitStore;
  invocations: InvocationStore;
  jobs: JobStore;
  close(): Promise<void>;
}

/** Connects (starting the embedded store when configured so) and ensures the tables. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const connection = await connectStore(config);
  const acorns = new AcornStore(connection);
  if (config.createTables) {
    // Where this process may create tables it may also bring their data up to date (a Lambda does neither).
    // With nothing to move this is one empty query.
    try {
      await acorns.migratePublicShards();
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  return {
    connection,
    acorns,
    identities: new IdentityStore(connection),
    limits: new LimitStore(connection),
    invocations: new InvocationStore(connection),
    jobs: new JobStore(connection),
    close: () => connection.close(),
  };
}
