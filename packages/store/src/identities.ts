/** Anonymous identities: a random key shown once, stored only as its hash. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreConnection } from './client.ts';
import { hashKey, newId, newIdentityKey } from './ids.ts';

export interface Identity {
  id: string;
  admin: boolean;
  createdAt: string;
}

export class IdentityStore {
  readonly #db: StoreConnection;
  constructor(db: StoreConnection) {
    this.#db = db;
  }

  /** Creates an identity and returns it with its key; the key itself is never stored. */
  async create({ admin = false } = {}, now = new Date()): Promise<Identity & { key: string }> {
    const key = newIdentityKey();
    const identity: Identity = { id: newId(), admin, createdAt: now.toISOString() };
    await this.#db.doc.send(
      new PutCommand({
        TableName: this.#db.tables.identities,
        Item: { keyHash: hashKey(key), ...identity },
        ConditionExpression: 'attribute_not_exists(keyHash)',
      }),
    );
    return { ...identity, key };
  }

  async findByKey(key: string): Promise<Identity | undefined> {
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#db.tables.identities, Key: { keyHash: hashKey(key) } }),
    );
    if (!Item) return undefined;
    return { id: String(Item.id), admin: Item.admin === true, createdAt: String(Item.createdAt) };
  }
}
