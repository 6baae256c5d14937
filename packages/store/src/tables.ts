/**
 * The store's DynamoDB tables as data: the store creates them from this at start,
 * and the CDK app derives the AWS tables from the same definitions.
 */
import type { AcornSummary } from '@squirrelbin/schemas';

export interface TableKeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  name: string;
  partitionKey: TableKeyAttribute;
  sortKey: TableKeyAttribute;
  /** The non-key attributes the index carries (projection INCLUDE); the table's and index's keys always come. */
  nonKeyAttributes: readonly string[];
}

export interface TableDefinition {
  /** Logical name; the physical name comes from configuration (`<LOGICAL NAME>_TABLE`). */
  logicalName: 'acorns' | 'identities' | 'metrics' | 'limits' | 'invocations' | 'jobs' | 'jobResults';
  partitionKey: TableKeyAttribute;
  sortKey?: TableKeyAttribute;
  globalIndexes: GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, for DynamoDB TTL on AWS. */
  ttlAttribute?: string;
}

export const acornIndexes = {
  /** Public acorns, newest first, one partition per creation month: only public acorns carry `gsiPublic`. */
  publicNewest: 'public-newest',
  /** One owner's acorns, newest first: only current acorn items carry `gsiOwner`. */
  ownerNewest: 'owner-newest',
} as const;

/**
 * What a list returns (an acorn without its code, up to 64 KiB) plus the capped `search` text a search filters
 * on: a listed item is a few hundred bytes instead of up to 64 KiB.
 */
const listedAttributes = [
  'id',
  'title',
  'description',
  'language',
  'visibility',
  'endpoint',
  'version',
  'ownerId',
  'forkOf',
  'createdAt',
  'updatedAt',
  'search',
] as const satisfies readonly (keyof AcornSummary | 'search')[];
// Does not compile when AcornSummary gains a field the list indexes would not carry.
const everySummaryField: [Exclude<keyof AcornSummary, (typeof listedAttributes)[number]>] extends [never]
  ? true
  : never = true;
void everySummaryField;

export const tableDefinitions: readonly TableDefinition[] = [
  {
    logicalName: 'acorns',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [
      {
        name: acornIndexes.publicNewest,
        partitionKey: { name: 'gsiPublic', type: 'S' },
        sortKey: { name: 'gsiCreated', type: 'S' },
        nonKeyAttributes: listedAttributes,
      },
      {
        name: acornIndexes.ownerNewest,
        partitionKey: { name: 'gsiOwner', type: 'S' },
        sortKey: { name: 'gsiCreated', type: 'S' },
        nonKeyAttributes: listedAttributes,
      },
    ],
  },
  {
    logicalName: 'identities',
    partitionKey: { name: 'keyHash', type: 'S' },
    globalIndexes: [],
  },
  {
    logicalName: 'metrics',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  {
    // Rate-limit counters shared by every process: one item per key per window (see limits.ts).
    logicalName: 'limits',
    partitionKey: { name: 'pk', type: 'S' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  {
    // Endpoint calls per acorn, newest first (see invocations.ts); kept 7 days.
    logicalName: 'invocations',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  {
    // Jobs, their lanes (leases and partial summaries), the local work queue and the per-identity active-job slots
    // (see jobs.ts); kept 30 days.
    logicalName: 'jobs',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  {
    // One item per finished iteration, keyed by (job id, iteration): a conditional put makes each exactly once.
    logicalName: 'jobResults',
    partitionKey: { name: 'jobId', type: 'S' },
    sortKey: { name: 'iteration', type: 'N' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
];

export type TableNames = Record<TableDefinition['logicalName'], string>;

export const defaultTableNames: TableNames = {
  acorns: 'squirrelbin-acorns',
  identities: 'squirrelbin-identities',
  metrics: 'squirrelbin-metrics',
  limits: 'squirrelbin-limits',
  invocations: 'squirrelbin-invocations',
  jobs: 'squirrelbin-jobs',
  jobResults: 'squirrelbin-job-results',
};
