/** The OpenAPI 3.1 document, generated from the route specs and their zod schemas. */
import { Problem } from '@squirrelbin/schemas';
import { z } from 'zod';
import type { Route } from './route.ts';

type JsonObject = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;

function parameters(route: Route): JsonObject[] {
  const params: JsonObject[] = [...route.spec.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.spec.query) {
    const query = schemaOf(route.spec.query, 'input') as {
      properties?: Record<string, JsonObject>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  return params;
}

export function openApiDocument(routes: readonly Route[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const { spec } = route;
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const ok = Number(status) < 400;
      const schema = response.schema
        ? schemaOf(response.schema, 'output')
        : ok
          ? undefined
          : { $ref: '#/components/schemas/Problem' };
      responses[status] = {
        description: response.description,
        ...(response.headers
          ? { headers: Object.fromEntries(response.headers.map((h) => [h, { schema: { type: 'string' } }])) }
          : {}),
        ...(schema ? { content: { [ok ? 'application/json' : 'application/problem+json']: { schema } } } : {}),
      };
    }
    responses.default = {
      description: 'Error',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const operation: JsonObject = {
      operationId: spec.name,
      summary: spec.summary,
      parameters: parameters(route),
      responses,
      ...(spec.auth === 'required' || spec.auth === 'admin' ? { security: [{ bearer: [] }] } : {}),
      ...(spec.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    };
    if (spec.body) {
      operation.requestBody = {
        required: !spec.body.optional,
        content: { 'application/json': { schema: schemaOf(spec.body.schema, 'input') } },
      };
    }
    paths[spec.path] = { ...paths[spec.path], [spec.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SquirrelBin API',
      version: '1.0.0',
      description: 'Save, share and run small JavaScript and TypeScript programs (acorns) in a sandbox.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: schemaOf(Problem, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An identity key, `sqb_…`' } },
    },
  };
}
