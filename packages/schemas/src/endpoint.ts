import * as z from 'zod';
import { LogEntry, RunError, RunStatus } from './run.ts';

/** One call of an endpoint acorn, as its owner sees it (kept 7 days). */
export const Invocation = z.object({
  id: z.string(),
  acornId: z.string(),
  acornVersion: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  method: z.string(),
  /** The path below `/x/{id}`, `/` at least. */
  path: z.string(),
  /** The query string without `?`, empty when there was none. */
  query: z.string(),
  /** The HTTP status the caller got. */
  status: z.number().int(),
  runStatus: RunStatus,
  wallMs: z.number(),
  cpuMs: z.number(),
  logs: z.array(LogEntry),
  logsTruncated: z.boolean(),
  error: RunError.optional(),
});
export type Invocation = z.infer<typeof Invocation>;

export const InvocationList = z.object({ items: z.array(Invocation), nextCursor: z.string().nullable() });
export type InvocationList = z.infer<typeof InvocationList>;
