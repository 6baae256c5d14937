/** Opens the store: the configured DynamoDB endpoint, or the embedded one, with tables ensured. */
import { Agent, type AgentOptions } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/types';
import { socketPathOf } from './discovery.ts';
import { type EmbeddedStore, findRunningEmbeddedStore, startPrivateEmbeddedStore } from './embedded.ts';
import { type TableNames, tableDefinitions } from './tables.ts';

export interface StoreConfig {
  /** DynamoDB endpoint; unset with no region means the embedded store under `dataDir`. */
  endpoint?: string | undefined;
  /** AWS region; set without an endpoint means AWS DynamoDB in that region. */
  region?: string | undefined;
  dataDir: string;
  tables: TableNames;
  /** Create missing tables at start (off on Lambda, where CDK owns the tables). */
  createTables: boolean;
}

export interface StoreConnection {
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  /** Where the store is: an endpoint URL, `unix:<socket path>` (the embedded store) or `aws:<region>`. */
  location: string;
  /** `embedded` when this process serves the embedded store itself. */
  mode: 'embedded' | 'attached' | 'remote';
  /** A cheap round trip to the store, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const localIdentity = async () => ({ accessKeyId: 'local', secretAccessKey: 'local', expiration: undefined });
/** What dynalite reads of a SigV4 signature: its shape and a date. */
const unsigned = {
  async sign(request: HttpRequest) {
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = date;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;
    return request;
  },
};

const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

export async function connectStore(config: StoreConfig): Promise<StoreConnection> {
  let embedded: EmbeddedStore | undefined;
  let endpoint = config.endpoint;
  let mode: StoreConnection['mode'] = 'remote';
  if (!endpoint && !config.region) {
    ({ endpoint, embedded } = await attachOrServe(config.dataDir));
    mode = embedded ? 'embedded' : 'attached';
  }
  const clientConfig: DynamoDBClientConfig = { region: config.region ?? 'local', maxAttempts: 2 };
  const socketPath = endpoint && socketPathOf(endpoint);
  if (socketPath) {
    // The embedded store on its Unix socket: every connection goes there, whatever the URL says. (An Agent
    // passes its options on to each request it makes, socketPath included, though its types leave it out.)
    const agentOptions: AgentOptions & { socketPath: string } = { keepAlive: true, maxSockets: 50, socketPath };
    clientConfig.endpoint = 'http://localhost';
    clientConfig.requestHandler = new NodeHttpHandler({ httpAgent: new Agent(agentOptions) });
    // Our own dynalite checks that a request is signed, never the signature: a fixed header costs nothing, where
    // SigV4 hashed every request (about 5% of a server's CPU under a job's result writes).
    clientConfig.httpAuthSchemes = [
      { schemeId: 'aws.auth#sigv4', identityProvider: () => localIdentity, signer: unsigned },
    ];
  } else if (endpoint) {
    clientConfig.endpoint = endpoint;
  }
  // A local DynamoDB-compatible server accepts any credentials; AWS needs real ones from the default chain.
  if (socketPath || (endpoint && loopback.test(endpoint))) {
    clientConfig.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  const client = new DynamoDBClient(clientConfig);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const connection: StoreConnection = {
    doc,
    tables: config.tables,
    location: endpoint ?? `aws:${config.region}`,
    mode,
    async ping() {
      await client.send(new DescribeTableCommand({ TableName: config.tables.acorns }));
    },
    async close() {
      client.destroy();
      await embedded?.close();
    },
  };
  try {
    if (config.createTables) await ensureTables(client, config.tables);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

/** How long to wait for another process that holds the data dir (it is starting) to advertise its store. */
const lockedWaitMs = 5_000;

/**
 * Attaches to the store another process serves from `dataDir` when it answers, else serves it from here. The
 * LevelDB lock decides: a process that dies (even SIGKILL) releases it, so a stale store.json is simply taken
 * over, while a live owner that has not advertised yet (starting at the same moment) is waited for.
 */
async function attachOrServe(dataDir: string): Promise<{ endpoint: string; embedded?: EmbeddedStore }> {
  const deadline = Date.now() + lockedWaitMs;
  for (;;) {
    const running = await findRunningEmbeddedStore(dataDir);
    if (running) return { endpoint: running };
    try {
      const embedded = await startPrivateEmbeddedStore(dataDir);
      return { endpoint: embedded.endpoint, embedded };
    } catch (error) {
      if (!isLocked(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function isLocked(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  return e?.code === 'LEVEL_LOCKED' || e?.cause?.code === 'LEVEL_LOCKED';
}

async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  for (const table of tableDefinitions) {
    const name = names[table.logicalName];
    if (existing.has(name)) continue;
    const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    const indexKeys = table.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]);
    const attributes = new Map([...keys, ...indexKeys].map((key) => [key.name, key.type]));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
            AttributeName,
            AttributeType,
          })),
          KeySchema: [
            { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
            ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
          ],
          GlobalSecondaryIndexes: table.globalIndexes.length
            ? table.globalIndexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
                  { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
                ],
                Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.nonKeyAttributes] },
              }))
            : undefined,
        }),
      );
    } catch (error) {
      // Another process created it first: fine.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
    await waitActive(client, name);
  }
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`table ${name} did not become active`);
}
