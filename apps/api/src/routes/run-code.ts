import { RunCodeBody, RunResult } from '@squirrelbin/schemas';
import { defineRoute } from '../route.ts';
import { readRunBody, runAndRespond, runBodyMaxBytes } from '../run-acorn.ts';

export const runCode = defineRoute(
  {
    name: 'run.code',
    method: 'post',
    path: '/api/run',
    summary: 'Run unsaved code in the sandbox (200 whatever the acorn did: `status` says how it ended)',
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
  async (c) => runAndRespond(c, await readRunBody(c, RunCodeBody)),
);
