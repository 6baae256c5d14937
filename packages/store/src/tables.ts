/**
 * The store's DynamoDB tables as data: the store creates them from this at start,
 * and the CDK app derives the AWS tables from the same definitions.
 */
export interface TableKeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface TableDefinition {
  /** Logical name; the physical name comes from configuration. */
  logicalName: 'acorns' | 'identities' | 'metrics';
  partitionKey: TableKeyAttribute;
  sortKey?: TableKeyAttribute;
  globalIndexes: { name: string; partitionKey: TableKeyAttribute; sortKey: TableKeyAttribute }[];
  /** Attribute holding an epoch-seconds expiry, for DynamoDB TTL on AWS. */
  ttlAttribute?: string;
}

export const acornIndexes = {
  /** Public acorns, newest first: only public acorns carry `gsiPublic`. */
  publicNewest: 'public-newest',
  /** One owner's acorns, newest first: only current acorn items carry `gsiOwner`. */
  ownerNewest: 'owner-newest',
} as const;

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
      },
      {
        name: acornIndexes.ownerNewest,
        partitionKey: { name: 'gsiOwner', type: 'S' },
        sortKey: { name: 'gsiCreated', type: 'S' },
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
];

export type TableNames = Record<TableDefinition['logicalName'], string>;

export const defaultTableNames: TableNames = {
  acorns: 'squirrelbin-acorns',
  identities: 'squirrelbin-identities',
  metrics: 'squirrelbin-metrics',
};
