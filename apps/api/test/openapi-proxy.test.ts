/**
 * Every route through Prism's validating proxy in front of a real server, with valid and invalid requests: Prism checks
 * each request against the served OpenAPI document on the way in and the server's answer on the way out.
 *
 * Prism reports what it finds in an `sl-violations` header (a JSON array of `{location: ['request' | 'response', …],
 * severity, code, message}`). With `--errors` (`errors: true`) it would answer an invalid request itself (422, or 401
 * for a missing key) without forwarding it, so the server's own 4xx would never be seen: the proxy here forwards
 * everything and the test reads the header instead. A valid request must draw no violation at all; an invalid one
 * must get the server's documented problem, with no violation in the response, and a request violation exactly where
 * the document itself can tell the request is wrong (`docRejects`).
 */
import { type Acorn, type ProblemType, problemTypeUri } from '@squirrelbin/schemas';
import { createLogger } from '@stoplight/prism-core';
import { getHttpOperationsFromSpec, type IHttpProxyConfig } from '@stoplight/prism-http';
import { createServer } from '@stoplight/prism-http-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, clientFor, type RequestOptions, startTestServer, type TestServer } from './harness.ts';

interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

interface Context {
  owner: string;
  stranger: string;
  admin: string;
  /** Public, owned by `owner`, at version 2 (so it has a revision 1). */
  acorn: Acorn;
  /** Private, owned by `owner`. */
  privateId: string;
  /** A public endpoint acorn of `owner`'s that echoes what it got. */
  endpointId: string;
  /** A new public acorn of `owner`'s, for requests that change or delete one. */
  fresh(): Promise<Acorn>;
  /** A finished load job of `owner`'s on `acorn`. */
  jobId: string;
  /** A new identity's key (each may have only 2 active jobs). */
  newKey(): Promise<string>;
  /** A running job (a slow acorn, many iterations) of a new identity's: its id and key. */
  runningJob(): Promise<{ id: string; key: string }>;
}

interface Request extends RequestOptions {
  method: string;
  path: string;
}

interface Case {
  /** The operationId (endpoint name). */
  route: string;
  name: string;
  request(ctx: Context): Request | Promise<Request>;
  status: number;
}

interface InvalidCase extends Case {
  problem: ProblemType;
  /** The document can tell the request is wrong: Prism flags it on the way in. */
  docRejects: boolean;
}

const json = { 'content-type': 'application/json' };
// Through Prism, a subtree path is one segment: OpenAPI's `{proxy}` parameter cannot hold a slash.
const endpointOperations = ['get', 'post', 'put', 'patch', 'delete'].flatMap((method) => [
  [method, false] as const,
  [method, true] as const,
]);
const unknownId = 'AAAAAAAAAAAAAAAAAAAAAA';
const acornBody = { title: 'Through the proxy', language: 'javascript', code: '1 + 2', visibility: 'public' };

const valid: Case[] = [
  { route: 'health', name: 'up', request: () => ({ method: 'GET', path: '/api/health' }), status: 200 },
  {
    route: 'openapi.get',
    name: 'the document',
    request: () => ({ method: 'GET', path: '/api/openapi.json' }),
    status: 200,
  },
  {
    route: 'identities.create',
    name: 'no body',
    request: () => ({ method: 'POST', path: '/api/identities' }),
    status: 201,
  },
  {
    route: 'identities.create',
    name: 'an empty object',
    request: () => ({ method: 'POST', path: '/api/identities', json: {} }),
    status: 201,
  },
  {
    route: 'identities.me',
    name: 'an admin key',
    request: (ctx) => ({ method: 'GET', path: '/api/identities/me', key: ctx.admin }),
    status: 200,
  },
  {
    route: 'acorns.list',
    name: 'public, searched',
    request: () => ({ method: 'GET', path: '/api/acorns?limit=5&q=proxy' }),
    status: 200,
  },
  {
    route: 'acorns.list',
    name: 'mine, with a cursor',
    request: async (ctx) => {
      const first = await call<{ nextCursor: string }>(server.url, 'GET', '/api/acorns?mine=true&limit=1', {
        key: ctx.owner,
      });
      return {
        method: 'GET',
        path: `/api/acorns?mine=true&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        key: ctx.owner,
      };
    },
    status: 200,
  },
  {
    route: 'acorns.create',
    name: 'every field',
    request: (ctx) => ({
      method: 'POST',
      path: '/api/acorns',
      key: ctx.owner,
      json: { ...acornBody, description: 'With a description', language: 'typescript' },
    }),
    status: 201,
  },
  {
    route: 'acorns.get',
    name: 'public, anonymous',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}` }),
    status: 200,
  },
  {
    route: 'acorns.get',
    name: 'private, its owner',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.privateId}`, key: ctx.owner }),
    status: 200,
  },
  {
    route: 'acorns.get',
    name: 'unchanged (If-None-Match)',
    request: (ctx) => ({
      method: 'GET',
      path: `/api/acorns/${ctx.acorn.id}`,
      headers: { 'if-none-match': `"${ctx.acorn.version}"` },
    }),
    status: 304,
  },
  {
    route: 'acorns.update',
    name: 'two fields, If-Match',
    request: async (ctx) => ({
      method: 'PATCH',
      path: `/api/acorns/${(await ctx.fresh()).id}`,
      key: ctx.owner,
      headers: { 'if-match': '"1"' },
      json: { title: 'Renamed', visibility: 'unlisted' },
    }),
    status: 200,
  },
  {
    route: 'acorns.delete',
    name: 'its owner',
    request: async (ctx) => ({ method: 'DELETE', path: `/api/acorns/${(await ctx.fresh()).id}`, key: ctx.owner }),
    status: 204,
  },
  {
    route: 'revisions.list',
    name: 'a page',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/revisions?limit=10` }),
    status: 200,
  },
  {
    route: 'revisions.get',
    name: 'version 1',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/revisions/1` }),
    status: 200,
  },
  {
    route: 'acorns.fork',
    name: 'no body',
    request: (ctx) => ({ method: 'POST', path: `/api/acorns/${ctx.acorn.id}/fork`, key: ctx.stranger }),
    status: 201,
  },
  {
    route: 'acorns.fork',
    name: 'a new title and visibility',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/fork`,
      key: ctx.stranger,
      json: { title: 'My fork', visibility: 'private' },
    }),
    status: 201,
  },
  {
    route: 'acorns.run',
    name: 'no body',
    request: (ctx) => ({ method: 'POST', path: `/api/acorns/${ctx.acorn.id}/run` }),
    status: 200,
  },
  {
    route: 'acorns.run',
    name: 'input and limits',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/run`,
      key: ctx.owner,
      json: { input: { n: 21 }, limits: { timeoutMs: 2_000, memoryMb: 128 } },
    }),
    status: 200,
  },
  {
    route: 'run.code',
    name: 'TypeScript with logs and a value',
    request: () => ({
      method: 'POST',
      path: '/api/run',
      json: {
        language: 'typescript',
        code: 'const n: number = input.n;\nconsole.warn("half", n / 2);\n({ n, list: [1, "two", null] })',
        input: { n: 4 },
      },
    }),
    status: 200,
  },
  {
    route: 'run.code',
    name: 'an acorn that throws',
    request: () => ({
      method: 'POST',
      path: '/api/run',
      json: { language: 'javascript', code: 'throw new RangeError("no")', limits: { memoryMb: 8 } },
    }),
    status: 200,
  },
  {
    route: 'run.code',
    name: 'an acorn that times out',
    request: () => ({
      method: 'POST',
      path: '/api/run',
      json: { language: 'javascript', code: 'for (;;) {}', limits: { timeoutMs: 50 } },
    }),
    status: 200,
  },
  {
    route: 'admin.metrics',
    name: 'defaults',
    request: (ctx) => ({ method: 'GET', path: '/api/admin/metrics', key: ctx.admin }),
    status: 200,
  },
  {
    route: 'admin.metrics',
    name: 'a range and a step',
    request: (ctx) => {
      const now = Date.now();
      const from = new Date(now - 3_600_000).toISOString();
      return { method: 'GET', path: `/api/admin/metrics?from=${from}&to=${now}&step=5m`, key: ctx.admin };
    },
    status: 200,
  },
  {
    route: 'modules.list',
    name: 'the set',
    request: () => ({ method: 'GET', path: '/api/modules' }),
    status: 200,
  },
  {
    route: 'invocations.list',
    name: 'the owner',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.endpointId}/invocations?limit=5`, key: ctx.owner }),
    status: 200,
  },
  {
    route: 'acorns.metrics',
    name: 'an admin, a step',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.endpointId}/metrics?step=5m`, key: ctx.admin }),
    status: 200,
  },
  {
    route: 'jobs.start',
    name: 'a load test',
    request: async (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/jobs`,
      key: await ctx.newKey(),
      json: { kind: 'load', iterations: 3, concurrency: 2, input: { n: 4 } },
    }),
    status: 202,
  },
  {
    route: 'jobs.start',
    name: 'a batch',
    request: async (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/jobs`,
      key: await ctx.newKey(),
      json: { kind: 'batch', inputs: [{ n: 1 }, { n: 2 }] },
    }),
    status: 202,
  },
  {
    route: 'jobs.list',
    name: 'the caller’s',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/jobs?limit=5`, key: ctx.owner }),
    status: 200,
  },
  {
    route: 'jobs.get',
    name: 'its creator',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${ctx.jobId}`, key: ctx.owner }),
    status: 200,
  },
  {
    route: 'jobs.results',
    name: 'a page',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${ctx.jobId}/results?limit=2`, key: ctx.owner }),
    status: 200,
  },
  {
    route: 'jobs.events',
    name: 'a finished job',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${ctx.jobId}/events`, key: ctx.admin }),
    status: 200,
  },
  {
    route: 'jobs.cancel',
    name: 'a running job',
    request: async (ctx) => {
      const { id, key } = await ctx.runningJob();
      return { method: 'DELETE', path: `/api/jobs/${id}`, key };
    },
    status: 202,
  },
  {
    route: 'jobs.cancel',
    name: 'a finished job',
    request: (ctx) => ({ method: 'DELETE', path: `/api/jobs/${ctx.jobId}`, key: ctx.owner }),
    status: 204,
  },
  // The endpoint acorn's answer has no schema of ours: every method, on the acorn and below it.
  ...endpointOperations.map(
    ([method, subpath]): Case => ({
      route: `endpoints.call.${method}${subpath ? '.subpath' : ''}`,
      name: 'an endpoint acorn',
      request: (ctx) => ({
        method: method.toUpperCase(),
        path: `/x/${ctx.endpointId}${subpath ? '/nuts' : ''}?q=1`,
        ...(method === 'get' ? {} : { body: 'nuts', headers: { 'content-type': 'text/plain' } }),
      }),
      status: 200,
    }),
  ),
];

const invalid: InvalidCase[] = [
  {
    route: 'identities.create',
    name: 'an unknown field',
    request: () => ({ method: 'POST', path: '/api/identities', json: { name: 'me' } }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'identities.create',
    name: 'not JSON',
    request: () => ({
      method: 'POST',
      path: '/api/identities',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    }),
    status: 415,
    problem: 'unsupported-media-type',
    docRejects: true,
  },
  {
    route: 'identities.me',
    name: 'no key',
    request: () => ({ method: 'GET', path: '/api/identities/me' }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'identities.me',
    name: 'an unknown key',
    request: () => ({ method: 'GET', path: '/api/identities/me', key: `sqb_${'x'.repeat(43)}` }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: false,
  },
  {
    route: 'acorns.list',
    name: 'limit 0',
    request: () => ({ method: 'GET', path: '/api/acorns?limit=0' }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.list',
    name: 'a bad cursor',
    request: () => ({ method: 'GET', path: '/api/acorns?cursor=not-a-cursor' }),
    status: 400,
    problem: 'bad-cursor',
    docRejects: false,
  },
  {
    route: 'acorns.list',
    name: 'mine without a key',
    request: () => ({ method: 'GET', path: '/api/acorns?mine=true' }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: false,
  },
  {
    route: 'acorns.create',
    name: 'no key',
    request: () => ({ method: 'POST', path: '/api/acorns', json: acornBody }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'acorns.create',
    name: 'no title, an unknown language',
    request: (ctx) => ({
      method: 'POST',
      path: '/api/acorns',
      key: ctx.owner,
      json: { ...acornBody, title: undefined, language: 'python' },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.create',
    name: 'code over 64 KiB',
    request: (ctx) => ({
      method: 'POST',
      path: '/api/acorns',
      key: ctx.owner,
      json: { ...acornBody, code: `// ${'x'.repeat(64 * 1024)}` },
    }),
    status: 413,
    problem: 'code-too-large',
    docRejects: false,
  },
  {
    route: 'acorns.get',
    name: 'no such acorn',
    request: () => ({ method: 'GET', path: `/api/acorns/${unknownId}` }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'acorns.get',
    name: "someone else's private acorn",
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.privateId}`, key: ctx.stranger }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'acorns.update',
    name: 'an empty title',
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/acorns/${ctx.acorn.id}`,
      key: ctx.owner,
      headers: { 'if-match': '"2"' },
      json: { title: '' },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.update',
    // "At least one field" is a zod refinement, carried into the document as `minProperties`.
    name: 'no field',
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/acorns/${ctx.acorn.id}`,
      key: ctx.owner,
      headers: { 'if-match': '"2"' },
      json: {},
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.update',
    name: 'no If-Match',
    request: (ctx) => ({ method: 'PATCH', path: `/api/acorns/${ctx.acorn.id}`, key: ctx.owner, json: { title: 'x' } }),
    status: 428,
    problem: 'precondition-required',
    docRejects: true,
  },
  {
    route: 'acorns.update',
    name: 'a stale version',
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/acorns/${ctx.acorn.id}`,
      key: ctx.owner,
      headers: { 'if-match': '"1"' },
      json: { title: 'x' },
    }),
    status: 412,
    problem: 'version-mismatch',
    docRejects: false,
  },
  {
    route: 'acorns.update',
    name: 'not the owner',
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/acorns/${ctx.acorn.id}`,
      key: ctx.stranger,
      headers: { 'if-match': '"2"' },
      json: { title: 'x' },
    }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  {
    route: 'acorns.delete',
    name: 'no key',
    request: (ctx) => ({ method: 'DELETE', path: `/api/acorns/${ctx.acorn.id}` }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'acorns.delete',
    name: 'not the owner',
    request: (ctx) => ({ method: 'DELETE', path: `/api/acorns/${ctx.acorn.id}`, key: ctx.stranger }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  {
    route: 'acorns.delete',
    name: 'no such acorn',
    request: (ctx) => ({ method: 'DELETE', path: `/api/acorns/${unknownId}`, key: ctx.owner }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'revisions.list',
    name: 'limit over 100',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/revisions?limit=101` }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'revisions.list',
    name: 'no such acorn',
    request: () => ({ method: 'GET', path: `/api/acorns/${unknownId}/revisions` }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'revisions.get',
    name: 'no such version',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/revisions/99` }),
    status: 404,
    problem: 'revision-not-found',
    docRejects: false,
  },
  {
    route: 'acorns.fork',
    name: 'no key',
    request: (ctx) => ({ method: 'POST', path: `/api/acorns/${ctx.acorn.id}/fork` }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'acorns.fork',
    name: 'an unknown field',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/fork`,
      key: ctx.stranger,
      json: { code: 'x' },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.fork',
    name: 'no such acorn',
    request: (ctx) => ({ method: 'POST', path: `/api/acorns/${unknownId}/fork`, key: ctx.stranger }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'acorns.run',
    name: 'no such acorn',
    request: () => ({ method: 'POST', path: `/api/acorns/${unknownId}/run` }),
    status: 404,
    problem: 'acorn-not-found',
    docRejects: false,
  },
  {
    route: 'acorns.run',
    name: 'memoryMb over the maximum',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/run`,
      json: { limits: { memoryMb: 512 } },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.run',
    name: 'timeoutMs under the minimum',
    request: (ctx) => ({ method: 'POST', path: `/api/acorns/${ctx.acorn.id}/run`, json: { limits: { timeoutMs: 5 } } }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'acorns.run',
    name: 'input over 16 KiB',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/run`,
      json: { input: { blob: 'y'.repeat(16 * 1024 + 100) } },
    }),
    status: 413,
    problem: 'input-too-large',
    docRejects: false,
  },
  {
    route: 'run.code',
    name: 'no body',
    request: () => ({ method: 'POST', path: '/api/run' }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'run.code',
    name: 'an unknown language',
    request: () => ({ method: 'POST', path: '/api/run', json: { language: 'python', code: '1' } }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'run.code',
    name: 'memoryMb over the maximum',
    request: () => ({
      method: 'POST',
      path: '/api/run',
      json: { language: 'javascript', code: '1', limits: { memoryMb: 129 } },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'admin.metrics',
    name: 'no key',
    request: () => ({ method: 'GET', path: '/api/admin/metrics' }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'admin.metrics',
    name: 'not an admin key',
    request: (ctx) => ({ method: 'GET', path: '/api/admin/metrics', key: ctx.owner }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  {
    route: 'admin.metrics',
    name: 'an unknown step',
    request: (ctx) => ({ method: 'GET', path: '/api/admin/metrics?step=2m', key: ctx.admin }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'invocations.list',
    name: 'not the owner',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.endpointId}/invocations`, key: ctx.stranger }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  {
    route: 'acorns.metrics',
    name: 'no key',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.endpointId}/metrics` }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'jobs.start',
    name: 'no iterations',
    request: async (ctx) => ({
      method: 'POST',
      path: `/api/acorns/${ctx.acorn.id}/jobs`,
      key: ctx.owner,
      json: { kind: 'load', iterations: 0, concurrency: 1 },
    }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'jobs.list',
    name: 'no key',
    request: (ctx) => ({ method: 'GET', path: `/api/acorns/${ctx.acorn.id}/jobs` }),
    status: 401,
    problem: 'unauthenticated',
    docRejects: true,
  },
  {
    route: 'jobs.get',
    name: 'not its creator',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${ctx.jobId}`, key: ctx.stranger }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  {
    route: 'jobs.results',
    name: 'limit 0',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${ctx.jobId}/results?limit=0`, key: ctx.owner }),
    status: 400,
    problem: 'validation-failed',
    docRejects: true,
  },
  {
    route: 'jobs.events',
    name: 'no such job',
    request: (ctx) => ({ method: 'GET', path: `/api/jobs/${unknownId}/events`, key: ctx.owner }),
    status: 404,
    problem: 'job-not-found',
    docRejects: false,
  },
  {
    route: 'jobs.cancel',
    name: 'not its creator',
    request: (ctx) => ({ method: 'DELETE', path: `/api/jobs/${ctx.jobId}`, key: ctx.stranger }),
    status: 403,
    problem: 'forbidden',
    docRejects: false,
  },
  ...endpointOperations.map(
    ([method, subpath]): InvalidCase => ({
      route: `endpoints.call.${method}${subpath ? '.subpath' : ''}`,
      name: 'an acorn that is no endpoint',
      request: (ctx) => ({ method: method.toUpperCase(), path: `/x/${ctx.acorn.id}${subpath ? '/nuts' : ''}` }),
      status: 404,
      problem: 'endpoint-not-found',
      docRejects: false,
    }),
  ),
];

/** Routes with no input to get wrong, and HEAD on an endpoint (its 404 has no body to carry the problem). */
const noInput = new Set([
  'health',
  'openapi.get',
  'modules.list',
  'endpoints.call.head',
  'endpoints.call.head.subpath',
]);

type ResponseObject = { content?: Record<string, { schema: unknown }> };

let server: TestServer;
let document: {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, ResponseObject> }>>;
};
let ctx: Context;
const proxies: ReturnType<typeof createServer>[] = [];
/** Prism in front of the server, checking requests and responses against the served document. */
let proxy: string;
/** The same, over a document whose every success schema also requires a property no answer has. */
let tamperedProxy: string;

async function startProxy(doc: unknown): Promise<string> {
  const config: IHttpProxyConfig = {
    isProxy: true,
    upstream: new URL(server.url),
    upstreamProxy: undefined,
    errors: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    mock: { dynamic: false },
  };
  const prism = createServer(await getHttpOperationsFromSpec(doc as object), {
    components: { logger: createLogger('proxy', { enabled: false }) },
    config,
    cors: false,
  });
  proxies.push(prism);
  return prism.listen(0, '127.0.0.1');
}

/** The document with every 2xx schema in an `allOf` with `required: ['sqbTampered']`. */
function tamper(doc: typeof document): typeof document {
  const copy = structuredClone(doc);
  for (const operations of Object.values(copy.paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2')) continue;
        for (const media of Object.values(response.content ?? {})) {
          media.schema = { allOf: [media.schema, { required: ['sqbTampered'] }] };
        }
      }
    }
  }
  return copy;
}

async function through(base: string, kase: Case) {
  const { method, path, ...options } = await kase.request(ctx);
  if (options.json !== undefined) options.headers = { ...json, ...options.headers };
  const reply = await call(base, method, path, options);
  const header = reply.headers.get('sl-violations') ?? '[]';
  // Prism cuts a header over 8 KiB short and says so: no longer JSON, but certainly violations.
  if (!header.startsWith('[')) throw new Error(`Prism: ${header.slice(0, 2_000)}`);
  const violations: Violation[] = JSON.parse(header);
  const at = (where: string) =>
    violations.filter((v) => v.location[0] === where).map((v) => `${v.severity} ${v.code}: ${v.message}`);
  return { reply, request: at('request'), response: at('response') };
}

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKERS: '1' });
  const direct = clientFor(server.url);
  const [owner, stranger, admin] = await Promise.all([
    direct.newKey(),
    direct.newKey(),
    server.deps.store.identities.create({ admin: true }).then((identity) => identity.key),
  ]);
  const fresh = () =>
    direct.newAcorn(owner, { code: 'export default (input) => (input?.n ?? 1) * 2' }) as Promise<Acorn>;
  const { id } = await fresh();
  const updated = await direct.api<Acorn>('PATCH', `/api/acorns/${id}`, {
    key: owner,
    headers: { 'if-match': '"1"' },
    json: { description: 'Version 2' },
  });
  expect(updated.status).toBe(200);
  const { id: privateId } = await direct.newAcorn(owner, { visibility: 'private' });
  const { id: endpointId } = await direct.newAcorn(owner, {
    endpoint: true,
    code: 'export default async (req) => Response.json({ method: req.method, url: req.url })',
  });
  const newKey = () => direct.newKey();
  const startJob = async (key: string, acornId: string, body: unknown) => {
    const reply = await direct.api<{ id: string }>('POST', `/api/acorns/${acornId}/jobs`, { key, json: body });
    expect(reply.status).toBe(202);
    return reply.body.id;
  };
  const jobId = await startJob(owner, id, { kind: 'load', iterations: 4, concurrency: 2 });
  for (let job = { finishedAt: null as string | null }; job.finishedAt === null; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = (await direct.api<{ finishedAt: string | null }>('GET', `/api/jobs/${jobId}`, { key: owner })).body;
  }
  const { id: slowId } = await direct.newAcorn(owner, { code: 'const t = Date.now(); while (Date.now() - t < 50) {}' });
  const runningJob = async () => {
    const key = await newKey();
    return { key, id: await startJob(key, slowId, { kind: 'load', iterations: 1000, concurrency: 1 }) };
  };
  ctx = { owner, stranger, admin, acorn: updated.body, privateId, endpointId, fresh, jobId, newKey, runningJob };

  document = (await direct.api<typeof document>('GET', '/api/openapi.json')).body;
  [proxy, tamperedProxy] = await Promise.all([startProxy(document), startProxy(tamper(document))]);
  await server.sandbox.ready();
});

afterAll(async () => {
  await Promise.all(proxies.map((prism) => prism.close()));
  await server?.destroy();
});

describe('every route through a validating proxy (Prism)', () => {
  it('has a valid request for every operation, and an invalid one for each that takes input', () => {
    const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(valid.map((c) => c.route))).toEqual(new Set(operations));
    expect(new Set(invalid.map((c) => c.route))).toEqual(new Set(operations.filter((op) => !noInput.has(op))));
  });

  it.each(valid)('$route, $name: answered $status with no violation', async (kase) => {
    const { reply, request, response } = await through(proxy, kase);
    expect({ status: reply.status, request, response }).toEqual({ status: kase.status, request: [], response: [] });
  });

  it.each(invalid)('$route, $name: the server answers $status $problem, as documented', async (kase) => {
    const { reply, request, response } = await through(proxy, kase);
    expect(reply.status).toBe(kase.status);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: kase.status, type: problemTypeUri(kase.problem) });
    expect(response).toEqual([]);
    if (kase.docRejects) expect(request).not.toEqual([]);
    else expect(request).toEqual([]);
  });

  it('does check each answer: with every success schema tampered with, each success is a violation', async () => {
    const checked = valid.filter(
      (kase) =>
        kase.status !== 204 &&
        kase.status !== 304 &&
        kase.route !== 'openapi.get' &&
        // An endpoint acorn's answer is its own, and an event stream is text: no schema to tamper with.
        !kase.route.startsWith('endpoints.call.') &&
        kase.route !== 'jobs.events',
    );
    const missed: string[] = [];
    for (const kase of checked) {
      const { reply, response } = await through(tamperedProxy, kase);
      expect(reply.status, `${kase.route}, ${kase.name}`).toBe(kase.status);
      if (!response.some((v) => v.includes('sqbTampered'))) missed.push(`${kase.route}, ${kase.name}`);
    }
    expect(missed).toEqual([]);
  });
});
