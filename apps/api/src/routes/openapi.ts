import { openApiDocument } from '../openapi.ts';
import { defineRoute, type Route } from '../route.ts';

/** Serves the document for the routes it is given; built once, on first request. */
export function openApiRoute(routes: () => readonly Route[]): Route {
  let document: string | undefined;
  return defineRoute(
    {
      name: 'openapi.get',
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      auth: 'none',
      access: {},
      responses: { 200: { description: 'OpenAPI 3.1' } },
    },
    (c) => {
      document ??= JSON.stringify(openApiDocument(routes()));
      c.header('Content-Type', 'application/json');
      return c.body(document);
    },
  );
}
