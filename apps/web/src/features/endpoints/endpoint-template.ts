/** Starter code for an endpoint acorn: a small handler with a route or two, in JavaScript and TypeScript. */
import type { Language } from '@squirrelbin/schemas';

const javascript = `// An endpoint: the default export gets every request to /x/{id} (and below) and returns a Response.
export default async function handle(request) {
  const url = new URL(request.url);
  // The path below /x/{id}: "/" for the endpoint itself.
  const path = url.pathname.replace(/^\\/x\\/[^/]+/, '') || '/';
  console.log(request.method, path);

  if (request.method === 'GET' && path === '/') {
    const name = url.searchParams.get('name') ?? 'squirrel';
    return Response.json({ hello: name, at: new Date().toISOString() });
  }
  if (request.method === 'POST' && path === '/echo') {
    const body = await request.text();
    return new Response(body, {
      headers: { 'content-type': request.headers.get('content-type') ?? 'text/plain' },
    });
  }
  return Response.json({ error: \`No route for \${request.method} \${path}\` }, { status: 404 });
}
`;

const typescript = `// An endpoint: the default export gets every request to /x/{id} (and below) and returns a Response.
interface Greeting {
  hello: string;
  at: string;
}

export default async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // The path below /x/{id}: "/" for the endpoint itself.
  const path = url.pathname.replace(/^\\/x\\/[^/]+/, '') || '/';
  console.log(request.method, path);

  if (request.method === 'GET' && path === '/') {
    const greeting: Greeting = { hello: url.searchParams.get('name') ?? 'squirrel', at: new Date().toISOString() };
    return Response.json(greeting);
  }
  if (request.method === 'POST' && path === '/echo') {
    const body = await request.text();
    return new Response(body, {
      headers: { 'content-type': request.headers.get('content-type') ?? 'text/plain' },
    });
  }
  return Response.json({ error: \`No route for \${request.method} \${path}\` }, { status: 404 });
}
`;

export const endpointTemplates: Record<Language, string> = { javascript, typescript };

export function isEndpointTemplate(code: string): boolean {
  return code === javascript || code === typescript;
}
