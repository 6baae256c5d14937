/** The store's DynamoDB tables, derived from the store package's own definitions. */

import { type TableDefinition, type TableNames, tableDefinitions } from '@squirrelbin/store';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export type LogicalTableName = TableDefinition['logicalName'];

export interface TablesProps {
  deletionProtection: boolean;
}

const attribute = (key: { name: string; type: 'S' | 'N' }): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class Tables extends Construct {
  readonly byName: Record<LogicalTableName, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
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
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: attribute(index.sortKey),
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      byName[definition.logicalName] = table;
    }
    this.byName = byName as Record<LogicalTableName, dynamodb.Table>;
  }

  /** Physical names, as the API's configuration reads them (ACORNS_TABLE, …). */
  environment(): Record<string, string> {
    const names: TableNames = {
      acorns: this.byName.acorns.tableName,
      identities: this.byName.identities.tableName,
      metrics: this.byName.metrics.tableName,
    };
    return { ACORNS_TABLE: names.acorns, IDENTITIES_TABLE: names.identities, METRICS_TABLE: names.metrics };
  }
}
