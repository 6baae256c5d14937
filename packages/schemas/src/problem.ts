import * as z from 'zod';

/** Stable problem types; the HTTP body carries them as `urn:squirrelbin:problem:<type>`. */
export const problemTypes = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  'bad-cursor': { status: 400, title: 'The cursor is not valid' },
  unauthenticated: { status: 401, title: 'A valid key is required' },
  forbidden: { status: 403, title: 'Not allowed for this key' },
  'acorn-not-found': { status: 404, title: 'No such acorn' },
  'revision-not-found': { status: 404, title: 'No such revision' },
  'job-not-found': { status: 404, title: 'No such job' },
  'route-not-found': { status: 404, title: 'No such endpoint' },
  'endpoint-not-found': { status: 404, title: 'No endpoint is served here' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this endpoint' },
  'version-mismatch': { status: 412, title: 'The acorn changed since you read it' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'code-too-large': { status: 413, title: 'The code is too large' },
  'input-too-large': { status: 413, title: 'The run input is too large' },
  'unsupported-media-type': { status: 415, title: 'Send the body as application/json' },
  'precondition-required': { status: 428, title: 'Send If-Match with the version you edited' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'too-many-jobs': { status: 429, title: 'Too many active jobs' },
  'endpoint-failed': { status: 502, title: "The endpoint's acorn failed" },
  'endpoint-timeout': { status: 504, title: "The endpoint's acorn did not answer in time" },
  'run-queue-full': { status: 503, title: 'Too many runs in flight' },
  'store-unavailable': { status: 503, title: 'The store is unavailable' },
  internal: { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof problemTypes;

export const problemTypeUri = (type: ProblemType): string => `urn:squirrelbin:problem:${type}`;

export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

/** RFC 9457 problem details, with the request id and, for validation, each bad field. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string(),
  errors: z.array(FieldIssue).optional(),
  /** For 412: the version currently stored, so a client can show both sides. */
  currentVersion: z.number().int().optional(),
  /** For `/x` answers from a failed run (502, 504): how the run ended. */
  runStatus: z.enum(['ok', 'error', 'timeout', 'memory', 'killed']).optional(),
});
export type Problem = z.infer<typeof Problem>;
