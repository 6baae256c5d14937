import { Acorn, fieldLimits, UpdateAcornBody } from '@squirrelbin/schemas';
import { acornIdParam, assertOwner, etagOf } from '../acorn-access.ts';
import { requireIdentity } from '../middleware/auth.ts';
import { checkCodeSize, readJson } from '../middleware/body.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const updateAcorn = defineRoute(
  {
    name: 'acorns.update',
    method: 'patch',
    path: '/api/acorns/{id}',
    summary: 'Change some fields; needs If-Match with the version you edited',
    auth: 'required',
    access: { acorns: 'write', identities: 'read' },
    headers: [
      { name: 'If-Match', required: true, description: 'The ETag of the version you edited (`"3"`), a list, or `*`' },
    ],
    body: { schema: UpdateAcornBody },
    responses: {
      200: { description: 'Updated', schema: Acorn, headers: ['ETag'] },
      400: { description: 'Invalid body' },
      401: { description: 'No key' },
      403: { description: 'Not the owner' },
      404: { description: 'No such acorn' },
      412: { description: 'Stale version: the body names the current one' },
      428: { description: 'No If-Match' },
    },
  },
  async (c) => {
    const identity = requireIdentity(c);
    const changes = await readJson(c, UpdateAcornBody);
    checkCodeSize(changes.code, fieldLimits.codeMaxBytes);
    const id = acornIdParam(c);
    const { acorns } = c.var.deps.store;
    // Read through the store, not the cache: ownership and version must be current.
    const current = await acorns.get(id);
    if (!current || (current.visibility === 'private' && current.ownerId !== identity.id)) {
      throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
    }
    assertOwner(current, identity);
    const expected = expectedVersion(c.req.header('if-match'), current.version);
    const result = await acorns.update(id, expected, changes);
    if (!result.ok) {
      if (result.error === 'acorn-not-found') throw new ApiProblem('acorn-not-found', `No acorn ${id}`);
      c.var.deps.acornCache.remember(result.current);
      throw new ApiProblem(
        'version-mismatch',
        `You edited version ${expected}; the acorn is at ${result.current.version}`,
        {
          extra: { currentVersion: result.current.version },
          headers: { ETag: etagOf(result.current) },
        },
      );
    }
    c.var.deps.acornCache.remember(result.acorn);
    c.header('ETag', etagOf(result.acorn));
    return c.json(result.acorn);
  },
);

/**
 * The version If-Match names: `"3"` (also `W/"3"` or `3`); `*` means whatever is current; in a list
 * (`"2", "3"`) the current version when it is one of them (RFC 9110 §13.1.1), else the first one named.
 */
function expectedVersion(ifMatch: string | undefined, currentVersion: number): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new ApiProblem('precondition-required', 'Send If-Match: "<version>" (the ETag you read)');
  }
  const versions = ifMatch.split(',').map((tag) => {
    if (tag.trim() === '*') return currentVersion;
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(tag.trim());
    // Anything else cannot match a version, so it is stale by definition.
    return match ? Number(match[1]) : -1;
  });
  return versions.includes(currentVersion) ? currentVersion : (versions[0] ?? -1);
}
