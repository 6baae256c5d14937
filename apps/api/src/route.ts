/** A route is its contract (for OpenAPI, metrics, Lambda and CDK) plus a tiny Hono app serving it. */
import { type Handler, Hono, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './deps.ts';

/** `any`: every method (the acorn endpoints at `/x/{id}`). */
export type Method = 'get' | 'post' | 'patch' | 'delete' | 'any';

export interface RouteSpec {
  /** Endpoint name: the metrics dimension and the Lambda's name, e.g. `acorns.get`. */
  name: string;
  method: Method;
  /** Path as in DESIGN.md and API Gateway route keys, e.g. `/api/acorns/{id}`. */
  path: string;
  /**
   * A subtree the route serves too, as an API Gateway path (`/x/{id}/{proxy+}`): its own route key on AWS, and a
   * wildcard locally.
   */
  proxyPath?: string;
  summary: string;
  auth: 'none' | 'optional' | 'required' | 'admin';
  /** What the route needs of the store, for least-privilege grants on AWS (`limits`: it takes rate-limit tokens). */
  access: {
    acorns?: 'read' | 'write';
    identities?: 'read' | 'write';
    metrics?: 'read' | 'write';
    limits?: 'write';
    invocations?: 'read' | 'write';
    /** The `jobs` and `jobResults` tables. */
    jobs?: 'read' | 'write';
    /** Sends work to the jobs queue (SQS on AWS, `JOBS_QUEUE_URL`). */
    jobQueue?: 'send';
  };
  query?: z.ZodType;
  /** Request headers the route reads, for the OpenAPI document. */
  headers?: { name: string; required?: boolean; description: string }[];
  /** `maxBytes`: this route's own body bound (413 before parsing), below the server-wide `MAX_BODY_BYTES`. */
  body?: { schema: z.ZodType; optional?: boolean; maxBytes?: number };
  /** The route takes any body as bytes, up to `maxBytes` (endpoints): no media type or Content-Encoding checks. */
  rawBody?: { maxBytes: number };
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: string[] }>;
  /** The route runs acorns (needs the sandbox). */
  runsAcorns?: boolean;
}

export interface Route {
  spec: RouteSpec;
  app: Hono<AppEnv>;
}

/** `{id}` → `:id`, and a greedy `{proxy+}` → `*`. */
export const honoPath = (path: string) => path.replace(/\{\w+\+\}/g, '*').replace(/\{(\w+)\}/g, ':$1');

/** Registers `handler` for the route's method (every method for `any`) on its path and its proxy path. */
export function onRoute(
  app: Hono<AppEnv>,
  spec: RouteSpec,
  handler: Handler<AppEnv> | MiddlewareHandler<AppEnv>,
): void {
  for (const path of [spec.path, ...(spec.proxyPath ? [spec.proxyPath] : [])]) {
    if (spec.method === 'any') app.all(honoPath(path), handler);
    else app.on(spec.method.toUpperCase(), honoPath(path), handler);
  }
}

export function defineRoute(spec: RouteSpec, handler: Handler<AppEnv>): Route {
  const app = new Hono<AppEnv>();
  onRoute(app, spec, handler);
  return { spec, app };
}
