/**
 * The SquirrelBin store: acorns, revisions and identities on DynamoDB (or the embedded
 * dynalite server), through `@aws-sdk/lib-dynamodb`. Knows nothing of HTTP.
 * @module
 */
import { AcornStore } from './acorns.ts';
import { connectStore, type StoreConfig, type StoreConnection } from './client.ts';
import { IdentityStore } from './identities.ts';

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
export type { TableDefinition, TableNames } from './tables.ts';
export { acornIndexes, defaultTableNames, tableDefinitions } from './tables.ts';

export interface Store {
  connection: StoreConnection;
  acorns: AcornStore;
  identities: IdentityStore;
  close(): Promise<void>;
}

/** Connects (starting the embedded store when configured so) and ensures the tables. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const connection = await connectStore(config);
  return {
    connection,
    acorns: new AcornStore(connection),
    identities: new IdentityStore(connection),
    close: () => connection.close(),
  };
}
