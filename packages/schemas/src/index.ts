/**
 * Zod schemas for every SquirrelBin request and response body, shared by the API
 * (validation, OpenAPI) and the SPA (types, form checks).
 * @module
 */
export * from './acorn.ts';
export * from './endpoint.ts';
export * from './health.ts';
export * from './http.ts';
export * from './identity.ts';
export * from './jobs.ts';
export * from './limits.ts';
export * from './metrics.ts';
export * from './problem.ts';
export * from './run.ts';
