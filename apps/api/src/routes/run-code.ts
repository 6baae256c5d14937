import { RunCodeBody, RunResult } from '@squirrelbin/schemas';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { readRunBody, runAndRespond, runBodyMaxBytes } from '../run-acorn.ts';

export const runCode = defineRoute(
  {
    name: 'run.code',
    method: 'post',
    path: '/api/run',
    summary:
      'Run unsaved code in the sandbox (200 whatever the acorn did: `status` says how it ended); with `request`, ' +
      'call it as an endpoint handler and get its `response`',
    auth: 'optional',
    access: { identities: 'read', limits: 'write' },
    runsAcorns: true,
    body: { schema: RunCodeBody, maxBytes: runBodyMaxBytes.code },
    responses: {
      200: { description: 'The run result', schema: RunResult },
      400: { description: 'Invalid body' },
      413: { description: 'Code or input too large' },
      429: { description: 'Too many runs from this owner', headers: ['Retry-After'] },
      503: { description: 'Every sandbox busy and the queue full', headers: ['Retry-After'] },
    },
  },
  async (c) => {
    const { request, ...run } = await readRunBody(c, RunCodeBody);
    if (!request) return runAndRespond(c, run);
    const body = request.body ? Buffer.from(request.body, request.bodyEncoding === 'base64' ? 'base64' : 'utf8') : null;
    if (body && (request.method === 'GET' || request.method === 'HEAD')) {
      throw new ApiProblem('validation-failed', `A ${request.method} request has no body`, {
        errors: [{ path: 'request.body', message: `not allowed with ${request.method}` }],
      });
    }
    return runAndRespond(c, {
      ...run,
      input: undefined,
      request: {
        method: request.method,
        url: request.url,
        headers: request.headers ?? [],
        ...(body && body.length > 0 ? { bodyBase64: body.toString('base64') } : {}),
      },
    });
  },
);
