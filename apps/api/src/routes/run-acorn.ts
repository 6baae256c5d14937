import { RunAcornBody, RunResult } from '@squirrelbin/schemas';
import { loadVisibleAcorn } from '../acorn-access.ts';
import { defineRoute } from '../route.ts';
import { readRunBody, runAndRespond, runBodyMaxBytes } from '../run-acorn.ts';

export const runAcorn = defineRoute(
  {
    name: 'acorns.run',
    method: 'post',
    path: '/api/acorns/{id}/run',
    summary: 'Run a saved acorn with an optional input (private acorns run only for their owner)',
    auth: 'optional',
    access: { acorns: 'read', identities: 'read', limits: 'write' },
    runsAcorns: true,
    body: { schema: RunAcornBody, optional: true, maxBytes: runBodyMaxBytes.acorn },
    responses: {
      200: { description: 'The run result', schema: RunResult },
      404: { description: 'No such acorn' },
      413: { description: 'Input too large' },
      429: { description: 'Too many runs from this owner', headers: ['Retry-After'] },
      503: { description: 'Every sandbox busy and the queue full', headers: ['Retry-After'] },
    },
  },
  async (c) => {
    const body = await readRunBody(c, RunAcornBody, { optional: true });
    const acorn = await loadVisibleAcorn(c);
    return runAndRespond(c, { language: acorn.language, code: acorn.code, input: body.input, limits: body.limits });
  },
);
