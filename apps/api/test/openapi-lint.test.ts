/**
 * The served OpenAPI document passes a real OpenAPI linter (Spectral with its `spectral:oas` ruleset), every `$ref` in
 * it resolves inside the document, and the schemas say what the server does.
 */
import { type RulesetDefinition, Spectral } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../src/config.ts';
import { openApiDocument } from '../src/openapi.ts';
import { defineRoute, type Route } from '../src/route.ts';
import { startTestServer, type TestServer } from './harness.ts';

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
};

/** Warnings we accept: the route specs carry a summary and no separate description, and there is no contact to publish. */
const acceptedWarnings = new Set(['operation-description', 'info-contact']);

async function lint(document: string | Record<string, unknown>) {
  const spectral = new Spectral();
  // The ruleset's own type is looser than the one `setRuleset` declares.
  spectral.setRuleset(oas as RulesetDefinition);
  const results = await spectral.run(document);
  const show = (r: (typeof results)[number]) => `${r.code} at ${r.path.join('.') || '(root)'}: ${r.message}`;
  return {
    // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
    errors: results.filter((r) => r.severity === 0).map(show),
    warnings: results.filter((r) => r.severity === 1 && !acceptedWarnings.has(String(r.code))).map(show),
  };
}

/** Every `$ref` in the document, with whether it resolves inside it (as a JSON pointer from its root). */
function refs(document: unknown): { ref: string; resolves: boolean }[] {
  const found: { ref: string; resolves: boolean }[] = [];
  const resolve = (ref: string) =>
    ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const { $ref } = node as { $ref?: unknown };
      if (typeof $ref === 'string') found.push({ ref: $ref, resolves: $ref.startsWith('#/') && !!resolve($ref) });
      Object.values(node).forEach(walk);
    }
  };
  walk(document);
  return found;
}

const route = (name: string, path: string, body: z.ZodType, response: z.ZodType): Route =>
  defineRoute(
    {
      name,
      method: 'post',
      path,
      summary: name,
      auth: 'none',
      access: {},
      body: { schema: body },
      responses: { 200: { description: 'OK', schema: response } },
    },
    (c) => c.body(null, 204),
  );

describe('the served OpenAPI document', () => {
  let server: TestServer;
  let text: string;
  let doc: Doc;

  beforeAll(async () => {
    server = await startTestServer({ RUN_WORKERS: '1' });
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    text = await response.text();
    doc = JSON.parse(text);
  });
  afterAll(() => server?.destroy());

  it('has no Spectral (spectral:oas) errors, and no warnings but the accepted ones', async () => {
    const { errors, warnings } = await lint(text);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('refers only to its own components', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((r) => !r.resolves || !r.ref.startsWith('#/components/schemas/'))).toEqual([]);
  });

  it('names the shared schemas after their exports', () => {
    const run = doc.paths['/api/run']!.post as { requestBody: { content: Record<string, { schema: unknown }> } };
    expect(run.requestBody.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/RunCodeBody' });
    expect(doc.components.schemas.RunCodeBody!.properties).toMatchObject({
      input: { $ref: '#/components/schemas/JsonValue' },
      limits: { $ref: '#/components/schemas/RunLimits' },
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Acorn', 'JsonValue', 'Problem', 'RunLimits', 'RunResult']),
    );
  });

  it('bounds run limits as the server does by default (it clamps within them)', () => {
    const { run } = loadConfig({});
    const limits = doc.components.schemas.RunLimits!.properties!;
    expect(limits.memoryMb).toMatchObject({ minimum: 8, maximum: run.maxima.memoryMb });
    expect(limits.timeoutMs).toMatchObject({ minimum: 10, maximum: run.maxima.timeoutMs });
  });
});

describe('openApiDocument', () => {
  it('hoists a named recursive schema into components, with a reference Spectral resolves', async () => {
    const Tree: z.ZodType = z
      .lazy(() => z.union([z.string(), z.array(Tree), z.record(z.string(), Tree)]))
      .meta({ id: 'Tree', description: 'Strings, nested' });
    const doc = openApiDocument([route('trees.plant', '/trees', z.strictObject({ tree: Tree }), Tree)]) as Doc;
    expect(doc.components.schemas.Tree).toMatchObject({ description: 'Strings, nested' });
    expect(JSON.stringify(doc.components.schemas.Tree)).toContain('"#/components/schemas/Tree"');
    expect(refs(doc).filter((r) => !r.resolves)).toEqual([]);
    expect((await lint(doc)).errors).toEqual([]);
  });

  it('names the request form of a schema that reads differently in a request', () => {
    const Page = z.object({ size: z.number().default(10) }).meta({ id: 'Page' });
    const Wrapper = z.object({ page: Page }).meta({ id: 'Wrapper' });
    const doc = openApiDocument([route('pages.echo', '/pages', Wrapper, Wrapper)]) as Doc;
    const body = doc.paths['/pages']!.post!.requestBody as { content: Record<string, { schema: unknown }> };
    expect(body.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/WrapperInput' });
    expect(doc.components.schemas.WrapperInput!.properties!.page).toEqual({ $ref: '#/components/schemas/PageInput' });
    expect(doc.components.schemas.Wrapper!.properties!.page).toEqual({ $ref: '#/components/schemas/Page' });
    expect(doc.components.schemas.Page).toMatchObject({ required: ['size'] });
    expect(doc.components.schemas.PageInput).not.toHaveProperty('required');
  });

  it('refuses an unnamed recursive schema, naming the route', () => {
    const Tree: z.ZodType = z.lazy(() => z.union([z.string(), z.array(Tree)]));
    expect(() => openApiDocument([route('trees.plant', '/trees', z.strictObject({ tree: Tree }), z.string())])).toThrow(
      /trees\.plant body has a recursive schema without a name/,
    );
  });
});
