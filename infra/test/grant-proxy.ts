/**
 * A DynamoDB endpoint in front of the embedded store that lets a function call only what the stack grants it
 * (`storeGrants`), as IAM would on AWS: each request's `X-Amz-Target` is the action, its TableName (or the tables of
 * a batch) the resource; anything not granted gets DynamoDB's AccessDeniedException (HTTP 400) and is recorded.
 * One proxy per function, each on its own port, so the store tells the callers apart.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoreGrants } from '../src/api.ts';
import type { LogicalTableName } from '../src/tables.ts';

export interface GrantProxy {
  endpoint: string;
  /** `dynamodb:GetItem on identities`, for every call refused. */
  denied: string[];
  /** The same, for every call let through. */
  allowed: string[];
  close(): Promise<void>;
}

const transactActions: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Get: 'GetItem',
  ConditionCheck: 'ConditionCheckItem',
};

/** The tables a request names, with the action IAM checks on each. */
function resources(action: string, body: Record<string, unknown>): { action: string; table: string }[] {
  if (typeof body.TableName === 'string') return [{ action, table: body.TableName }];
  if (body.RequestItems && typeof body.RequestItems === 'object') {
    return Object.keys(body.RequestItems).map((table) => ({ action, table }));
  }
  // TransactWriteItems/TransactGetItems need the item actions on each table (the store never sends them).
  if (Array.isArray(body.TransactItems)) {
    return (body.TransactItems as Record<string, { TableName: string }>[]).flatMap((item) =>
      Object.entries(item).map(([operation, { TableName }]) => ({
        action: `dynamodb:${transactActions[operation] ?? 'ConditionCheckItem'}`,
        table: TableName,
      })),
    );
  }
  return [{ action, table: '*' }];
}

export async function startGrantProxy(options: {
  /** The embedded store's endpoint. */
  target: string;
  grants: StoreGrants;
  /** Logical table name → physical name, as the function's environment has them. */
  tables: Record<LogicalTableName, string>;
  /** The function's name, for the denial message. */
  name: string;
}): Promise<GrantProxy> {
  const byPhysical = new Map(Object.entries(options.tables).map(([logical, physical]) => [physical, logical]));
  const target = new URL(options.target);
  const denied: string[] = [];
  const allowed: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {}
      const refused = resources(`dynamodb:${operation}`, body).filter(({ action, table }) => {
        const logical = byPhysical.get(table) as LogicalTableName | undefined;
        const ok = !!operation && !!logical && (options.grants[logical] ?? []).includes(action);
        (ok ? allowed : denied).push(`${action} on ${logical ?? table}`);
        return !ok;
      });
      if (refused.length) {
        const [{ action, table }] = refused as [{ action: string; table: string }];
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'grant-proxy' });
        res.end(
          JSON.stringify({
            __type: 'com.amazon.coral.service#AccessDeniedException',
            Message:
              `User: arn:aws:sts::123456789012:assumed-role/${options.name}-role/${options.name} is not authorized ` +
              `to perform: ${action} on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/${table} because ` +
              `no identity-based policy allows the ${action} action`,
          }),
        );
        return;
      }
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      forwarded.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forwarded.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    denied,
    allowed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
