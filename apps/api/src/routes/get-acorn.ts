import { Acorn } from '@squirrelbin/schemas';
import { etagOf, loadVisibleAcorn } from '../acorn-access.ts';
import { defineRoute } from '../route.ts';

export const getAcorn = defineRoute(
  {
    name: 'acorns.get',
    method: 'get',
    path: '/api/acorns/{id}',
    summary: 'Read an acorn (answers 304 to a matching If-None-Match)',
    auth: 'optional',
    access: { acorns: 'read', identities: 'read' },
    headers: [{ name: 'If-None-Match', description: 'An ETag you hold (or `*`): 304 when it is still current' }],
    responses: {
      200: { description: 'The acorn', schema: Acorn, headers: ['ETag'] },
      304: { description: 'Unchanged since the ETag you sent' },
      404: { description: 'No such acorn, or a private one that is not yours' },
    },
  },
  async (c) => {
    const acorn = await loadVisibleAcorn(c);
    const etag = etagOf(acorn);
    c.header('ETag', etag);
    // The answer depends on the key (private acorns), so shared caches must keep one per key.
    c.header('Cache-Control', 'private, no-cache');
    c.header('Vary', 'Authorization');
    const ifNoneMatch = c.req.header('if-none-match');
    // `*` matches any current representation (RFC 9110 §13.1.2); the acorn exists, or it would be a 404 by now.
    const tags = ifNoneMatch?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (tags?.some((tag) => tag === etag || tag === '*')) return c.body(null, 304);
    return c.json(acorn);
  },
);
