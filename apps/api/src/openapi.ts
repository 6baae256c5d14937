/**
 * The OpenAPI 3.1 document, generated from the route specs and their zod schemas.
 *
 * Every zod schema that `@squirrelbin/schemas` exports is a component named as its export (`Acorn`, `RunLimits`,
 * `JsonValue`, `Problem`…): wherever a route's schema reaches one, the document says
 * `{"$ref": "#/components/schemas/Acorn"}`. zod extracts a schema that carries an `id` into `$defs` and refers to it
 * as `#/$defs/<id>`, which inside an OpenAPI document resolves against the document's root; so the definitions move to
 * `components/schemas` and every reference follows. A named schema that reads differently in a request than in a
 * response (a default, a transform) gets a second component, `<Name>Input`, for requests.
 *
 * A recursive schema needs a name (an export, or `.meta({ id })` on the schema it recurses through): otherwise the
 * document cannot be built, and says which route is at fault.
 */
import * as exported from '@squirrelbin/schemas';
import { Problem } from '@squirrelbin/schemas';
import * as z from 'zod';
// Named, not `z.core.$ZodRegistry`: a value read off the `z.core` namespace makes esbuild keep all of zod's core,
// every locale included (260 kB), in the bundle.
import { $ZodRegistry } from 'zod/v4/core';
import type { Route } from './route.ts';

type JsonObject = Record<string, unknown>;
type Io = 'input' | 'output';

const dialect = 'https://json-schema.org/draft/2020-12/schema';
const defsPrefix = '#/$defs/';
const componentsPrefix = '#/components/schemas/';
/** What OpenAPI allows as a component name. */
const componentName = /^[A-Za-z0-9._-]+$/;

/** Each zod schema `@squirrelbin/schemas` exports, by its export name. */
const exportNames = new Map<z.core.$ZodType, string>();
for (const [name, value] of Object.entries(exported)) {
  if (value instanceof z.ZodType && !exportNames.has(value)) exportNames.set(value, name);
}

/** zod's metadata for a schema (descriptions…) plus, for an exported one, its name as the `id` zod extracts by. */
class NamedSchemas extends $ZodRegistry<z.core.GlobalMeta> {
  override get<S extends z.core.$ZodType>(schema: S): z.core.GlobalMeta | undefined {
    const meta = z.globalRegistry.get(schema);
    const id = exportNames.get(schema);
    return id === undefined ? meta : { ...meta, id };
  }
}
const metadata = new NamedSchemas();

/** Calls `visit` with every object in a JSON value that has a string `$ref`. */
function eachRef(value: unknown, visit: (holder: { $ref: string }) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) eachRef(item, visit);
  } else if (value !== null && typeof value === 'object') {
    if (typeof (value as JsonObject).$ref === 'string') visit(value as { $ref: string });
    for (const child of Object.values(value)) eachRef(child, visit);
  }
}

const defName = (ref: string) => ref.slice(defsPrefix.length).replaceAll('~1', '/').replaceAll('~0', '~');

/** The JSON Schemas of one document: what the routes use inline, and the named ones they refer to. */
class DocumentSchemas {
  /** zod's definitions by name, per direction, with `#/$defs/` references until `components()`. */
  private readonly defs: Record<Io, Map<string, JsonObject>> = { input: new Map(), output: new Map() };
  /** Schemas placed in the document, whose references `components()` resolves. */
  private readonly placed: { json: unknown; io: Io }[] = [];

  /** `schema` as a request (`input`) or response (`output`) reads it; `where` names its place for errors. */
  schema(schema: z.ZodType, io: Io, where: string): JsonObject {
    const { json, defs } = this.convert(schema, io, where);
    this.keep(defs, io, where);
    this.placed.push({ json, io });
    return json;
  }

  /** An object schema's properties, each a schema of its own (query parameters), and which are required. */
  properties(schema: z.ZodType, io: Io, where: string): { properties: Record<string, JsonObject>; required: string[] } {
    const { json, defs } = this.convert(schema, io, where);
    // A named object is only a `$ref` here: its properties are what the parameters need.
    const name = typeof json.$ref === 'string' ? defName(json.$ref) : undefined;
    const object = (name === undefined ? json : defs[name]) as {
      properties?: Record<string, JsonObject>;
      required?: string[];
    };
    if (name !== undefined) delete defs[name];
    this.keep(defs, io, where);
    const properties = object.properties ?? {};
    this.placed.push({ json: properties, io });
    return { properties, required: object.required ?? [] };
  }

  private convert(schema: z.ZodType, io: Io, where: string): { json: JsonObject; defs: Record<string, JsonObject> } {
    const {
      $schema: _,
      $defs = {},
      ...json
    } = z.toJSONSchema(schema, { io, metadata, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonObject;
    const defs = $defs as Record<string, JsonObject>;
    eachRef([json, defs], ({ $ref }) => {
      // zod names an unnamed recursive schema `__schema<n>`, or `#` when it is the root: neither can be a component.
      if (!$ref.startsWith(defsPrefix) || /^__schema\d+$/.test(defName($ref))) {
        throw new Error(
          `OpenAPI: ${where} has a recursive schema without a name; export it from @squirrelbin/schemas or give it .meta({ id })`,
        );
      }
    });
    return { json, defs };
  }

  private keep(defs: Record<string, JsonObject>, io: Io, where: string): void {
    for (const [name, def] of Object.entries(defs)) {
      if (!componentName.test(name)) throw new Error(`OpenAPI: ${where} uses a schema named ${name}, not a valid name`);
      const known = this.defs[io].get(name);
      if (known && JSON.stringify(known) !== JSON.stringify(def)) {
        throw new Error(`OpenAPI: two different schemas are named ${name} (seen in ${where})`);
      }
      this.defs[io].set(name, def);
    }
  }

  /** Points every reference at `#/components/schemas/` and returns the components. Call once, after the last schema. */
  components(): Record<string, JsonObject> {
    const { input, output } = this.defs;
    // A request reads a schema differently where its JSON Schema differs, or that of a schema it refers to.
    const differs = new Set(
      [...input].filter(([name, def]) => differsFrom(output.get(name), def)).map(([name]) => name),
    );
    for (let grown = true; grown; ) {
      grown = false;
      for (const [name, def] of input) {
        if (differs.has(name) || !output.has(name)) continue;
        eachRef(def, ({ $ref }) => {
          if (differs.has(defName($ref)) && !differs.has(name)) {
            differs.add(name);
            grown = true;
          }
        });
      }
    }
    const nameFor = (io: Io, name: string) => (io === 'input' && differs.has(name) ? `${name}Input` : name);
    const resolve = (json: unknown, io: Io) =>
      eachRef(json, (holder) => {
        holder.$ref = componentsPrefix + nameFor(io, defName(holder.$ref));
      });
    for (const { json, io } of this.placed) resolve(json, io);
    const components: Record<string, JsonObject> = {};
    for (const io of ['output', 'input'] as const) {
      for (const [name, def] of this.defs[io]) {
        const key = nameFor(io, name);
        if (key in components) continue;
        resolve(def, io);
        components[key] = def;
      }
    }
    return Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
  }
}

const differsFrom = (a: JsonObject | undefined, b: JsonObject) =>
  a !== undefined && JSON.stringify(a) !== JSON.stringify(b);

function parameters(route: Route, schemas: DocumentSchemas): JsonObject[] {
  const params: JsonObject[] = [...route.spec.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  for (const header of route.spec.headers ?? []) {
    params.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  if (route.spec.query) {
    const query = schemas.properties(route.spec.query, 'input', `${route.spec.name} query`);
    for (const [name, schema] of Object.entries(query.properties)) {
      params.push({ name, in: 'query', required: query.required.includes(name), schema });
    }
  }
  return params;
}

/** The methods an `any` route documents; it serves HEAD, OPTIONS and the rest too (the summary says so). */
const anyMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function openApiDocument(routes: readonly Route[]): JsonObject {
  const schemas = new DocumentSchemas();
  const problem = schemas.schema(Problem, 'output', 'Problem');
  const paths: Record<string, Record<string, JsonObject>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const { spec } = route;
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const ok = Number(status) < 400;
      const schema = response.schema
        ? schemas.schema(response.schema, 'output', `${spec.name} ${status}`)
        : ok
          ? undefined
          : problem;
      responses[status] = {
        description: response.description,
        ...(response.headers
          ? { headers: Object.fromEntries(response.headers.map((h) => [h, { schema: { type: 'string' } }])) }
          : {}),
        ...(schema ? { content: { [ok ? 'application/json' : 'application/problem+json']: { schema } } } : {}),
      };
    }
    responses.default = { description: 'Error', content: { 'application/problem+json': { schema: problem } } };
    const params = parameters(route, schemas);
    // Endpoint names are `<tag>.<verb>`: `acorns.get`, `revisions.list`, `health`.
    const tag = spec.name.split('.')[0]!;
    tags.add(tag);
    const operation: JsonObject = {
      operationId: spec.name,
      summary: spec.summary,
      tags: [tag],
      ...(params.length > 0 ? { parameters: params } : {}),
      responses,
      ...(spec.auth === 'required' || spec.auth === 'admin' ? { security: [{ bearer: [] }] } : {}),
      ...(spec.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    };
    if (spec.body) {
      operation.requestBody = {
        required: !spec.body.optional,
        content: { 'application/json': { schema: schemas.schema(spec.body.schema, 'input', `${spec.name} body`) } },
      };
    }
    if (spec.rawBody) {
      operation.requestBody = {
        required: false,
        description: `Any bytes, up to ${spec.rawBody.maxBytes}`,
        content: { '*/*': { schema: {} } },
      };
    }
    if (spec.method !== 'any') {
      paths[spec.path] = { ...paths[spec.path], [spec.method]: operation };
      continue;
    }
    // Every method: one operation each, on the path and on its subtree (`{proxy+}` is written `{path}`).
    const subtree = spec.proxyPath?.replace(/\{(\w+)\+\}/g, '{$1}');
    for (const [path, suffix] of [[spec.path, ''], ...(subtree ? [[subtree, '.subpath']] : [])] as const) {
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
        name: match[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
        ...(match[1] === 'proxy' ? { description: 'The rest of the path, slashes included' } : {}),
      }));
      for (const method of anyMethods) {
        const { requestBody, ...rest } = operation;
        paths[path] = {
          ...paths[path],
          [method]: {
            ...rest,
            operationId: `${spec.name}.${method}${suffix}`,
            parameters: pathParams,
            ...(method === 'get' ? {} : { requestBody }),
          },
        };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SquirrelBin API',
      version: '1.0.0',
      description: 'Save, share and run small JavaScript and TypeScript programs (acorns) in a sandbox.',
    },
    // zod writes plain JSON Schema 2020-12, without OpenAPI's own keywords.
    jsonSchemaDialect: dialect,
    servers: [{ url: '/' }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas: schemas.components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An identity key, `sqb_…`' } },
    },
  };
}
