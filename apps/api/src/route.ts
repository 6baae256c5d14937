/** A route is its contract (for OpenAPI, metrics, Lambda and CDK) plus a tiny Hono app serving it. */
import { type Handler, Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './deps.ts';

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface RouteSpec {
  /** Endpoint name: the metrics dimension and the Lambda's name, e.g. `acorns.get`. */
  name: string;
  method: Method;
  /** Path as in DESIGN.md and API Gateway route keys, e.g. `/api/acorns/{id}`. */
  path: string;
  summary: string;
  auth: 'none' | 'optional' | 'required' | 'admin';
  /** What the route needs of the store, for least-privilege grants on AWS (`limits`: it takes rate-limit tokens). */
  access: {
    acorns?: 'read' | 'write';
    identities?: 'read' | 'write';
    metrics?: 'read' | 'write';
    limits?: 'write';
  };
  query?: z.ZodType;
  /** Request headers the route reads, for the OpenAPI document. */
  headers?: { name: string; required?: boolean; description: string }[];
  /** `maxBytes`: this route's own body bound (413 before parsing), below the server-wide `MAX_BODY_BYTES`. */
  body?: { schema: z.ZodType; optional?: boolean; maxBytes?: number };
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: string[] }>;
  /** The route runs acorns (needs the sandbox). */
  runsAcorns?: boolean;
}

export interface Route {
  spec: RouteSpec;
  app: Hono<AppEnv>;
}

export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export function defineRoute(spec: RouteSpec, handler: Handler<AppEnv>): Route {
  const app = new Hono<AppEnv>();
  app.on(spec.method.toUpperCase(), honoPath(spec.path), handler);
  return { spec, app };
}
