import { fieldLimits } from '@squirrelbin/schemas';
import { acornIdParam } from '../acorn-access.ts';
import { acornEndpointName, answerEndpointCall, readEndpointRequest } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { takeOrRefuse } from '../rate-limit.ts';
import { defineRoute } from '../route.ts';

/**
 * `ANY /x/{id}` and everything below it: the acorn's default export answers (DESIGN.md, "Endpoints"). Only public
 * and unlisted acorns with `endpoint: true` are served; anything else is the same 404, so a private acorn's
 * existence does not show.
 */
export const callEndpoint = defineRoute(
  {
    name: 'endpoints.call',
    method: 'any',
    path: '/x/{id}',
    proxyPath: '/x/{id}/{proxy+}',
    summary: 'Call an endpoint acorn: its default export gets the request and its Response is the answer',
    auth: 'none',
    access: { acorns: 'read', limits: 'write', invocations: 'write' },
    runsAcorns: true,
    rawBody: { maxBytes: fieldLimits.endpointBodyMaxBytes },
    responses: {
      200: { description: "The acorn's Response (any status, headers and body it chose)" },
      404: { description: 'No endpoint here: no such acorn, private, or `endpoint` is false' },
      413: { description: 'Request body over 1 MiB' },
      429: { description: 'Too many calls of this endpoint', headers: ['Retry-After'] },
      502: { description: 'The acorn threw, ran out of memory, or answered over 1 MiB', headers: ['X-Run-Status'] },
      503: { description: "The owner's sandbox share is busy and its queue full", headers: ['Retry-After'] },
      504: { description: 'The acorn did not answer before its deadline', headers: ['X-Run-Status'] },
    },
  },
  async (c) => {
    const { deps } = c.var;
    const id = endpointIdParam(c);
    const acorn = await deps.acornCache.get(id, (key) => deps.store.acorns.get(key));
    if (!acorn?.endpoint || acorn.visibility === 'private') {
      throw new ApiProblem('endpoint-not-found', `No endpoint is served at /x/${id}`);
    }
    c.set('metricsAlso', acornEndpointName(id));
    try {
      await takeOrRefuse('Too many calls of this endpoint; wait a little', [deps.endpointLimiter, id]);
    } catch (error) {
      c.set('runOutcome', 'rejected');
      throw error;
    }
    const request = await readEndpointRequest(c);
    return answerEndpointCall(c, acorn, request);
  },
);

/** An id that cannot be one serves nothing: the same 404, without a store read. */
function endpointIdParam(c: Parameters<typeof acornIdParam>[0]): string {
  try {
    return acornIdParam(c);
  } catch {
    throw new ApiProblem('endpoint-not-found', 'No endpoint is served here');
  }
}
