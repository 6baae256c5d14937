/** The store's DynamoDB tables, derived from the store package's own definitions. */

import { type TableDefinition, tableDefinitions } from '@squirrelbin/store';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export type LogicalTableName = TableDefinition['logicalName'];

export interface TablesProps {
  deletionProtection: boolean;
  /**
   * Indexes to leave out, for upgrading an index in place: CloudFormation cannot change an index's projection
   * and adds or removes one index per update (see docs/data-model.md, "Upgrading a deployed stack").
   */
  omitIndexes?: readonly string[];
}

/** The variable the API reads a table's physical name from: `ACORNS_TABLE`, …, `JOB_RESULTS_TABLE`. */
export const tableVariable = (name: LogicalTableName) =>
  `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_TABLE`;

const attribute = (key: { name: string; type: 'S' | 'N' }): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class Tables extends Construct {
  readonly byName: Record<LogicalTableName, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    const indexNames = tableDefinitions.flatMap((definition) => definition.globalIndexes.map((index) => index.name));
    const unknown = (props.omitIndexes ?? []).filter((name) => !indexNames.includes(name));
    if (unknown.length) throw new Error(`context omitIndexes: no index ${unknown.join(', ')}`);

    const byName: Partial<Record<LogicalTableName, dynamodb.Table>> = {};
    for (const definition of tableDefinitions) {
      const table = new dynamodb.Table(this, definition.logicalName, {
        partitionKey: attribute(definition.partitionKey),
        sortKey: definition.sortKey && attribute(definition.sortKey),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: props.deletionProtection,
        removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        timeToLiveAttribute: definition.ttlAttribute,
      });
      for (const index of definition.globalIndexes) {
        if (props.omitIndexes?.includes(index.name)) continue;
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: attribute(index.sortKey),
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...index.nonKeyAttributes],
        });
      }
      byName[definition.logicalName] = table;
    }
    this.byName = byName as Record<LogicalTableName, dynamodb.Table>;
  }

  /** Physical names, as the API's configuration reads them (ACORNS_TABLE, …). */
  environment(): Record<string, string> {
    return Object.fromEntries(
      tableDefinitions.map(({ logicalName }) => [tableVariable(logicalName), this.byName[logicalName].tableName]),
    );
  }
}
