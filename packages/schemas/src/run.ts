import * as z from 'zod';
import { Language } from './acorn.ts';
import { RunHttpRequest, RunHttpResponse } from './http.ts';

export const RunStatus = z.enum(['ok', 'error', 'timeout', 'memory', 'killed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const LogLevel = z.enum(['log', 'info', 'warn', 'error', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * Per-run limits a caller may ask for. The bounds are the server's default maxima (`RUN_MAX_TIMEOUT_MS`,
 * `RUN_MAX_MEMORY_MB`); within them, the server clamps a run to the maxima it is configured with.
 */
export const RunLimits = z.strictObject({
  timeoutMs: z
    .number()
    .int()
    .min(10)
    .max(10_000)
    .optional()
    .meta({ description: "Deadline in ms, clamped to the server's maximum (by default 10,000; 3,000 without a key)" }),
  memoryMb: z
    .number()
    .int()
    .min(8)
    .max(128)
    .optional()
    .meta({ description: "Heap limit in MiB, clamped to the server's maximum (by default 128)" }),
});
export type RunLimits = z.infer<typeof RunLimits>;

/**
 * Any JSON value: what a caller passes as `input`, and a run's `value`. It arrives through JSON.parse, so it is JSON
 * by construction; `z.json()` would walk it again (measured: 11–24 ms for 16 KiB, holding the event loop) and
 * makes a recursive schema that OpenAPI tools trip over. Its size is checked by the API before validation.
 */
export const JsonValue: z.ZodType<unknown> = z.unknown().meta({ description: 'Any JSON value' });

export const RunAcornBody = z.strictObject({
  input: JsonValue.optional(),
  limits: RunLimits.optional(),
});
export type RunAcornBody = z.infer<typeof RunAcornBody>;

export const RunCodeBody = z.strictObject({
  language: Language,
  code: z.string(),
  input: JsonValue.optional(),
  limits: RunLimits.optional(),
  /** Call the code as an endpoint handler with this request (the editor's request tester, for unsaved code). */
  request: RunHttpRequest.optional(),
});
export type RunCodeBody = z.infer<typeof RunCodeBody>;

/**
 * A logged value as a tree the SPA can expand: what Node's inspect prints as text, kept structured. Bounded by the
 * sandbox (depth, entries per node, total nodes); `more` counts entries left out, `ref` marks a circular reference.
 */
export type InspectedValue =
  | { kind: 'primitive'; text: string }
  | { kind: 'object'; label: string; entries: { key?: string; value: InspectedValue }[]; more?: number; ref?: boolean };
export const InspectedValue: z.ZodType<InspectedValue> = z
  .lazy(() =>
    z.union([
      z.object({ kind: z.literal('primitive'), text: z.string() }),
      z.object({
        kind: z.literal('object'),
        label: z.string(),
        entries: z.array(z.object({ key: z.string().optional(), value: InspectedValue })),
        more: z.number().int().optional(),
        ref: z.boolean().optional(),
      }),
    ]),
  )
  .meta({ id: 'InspectedValue' });

export const LogEntry = z.object({
  level: LogLevel,
  /** The line as text, formatted like Node's console (kept for API clients). */
  message: z.string(),
  /** Milliseconds since the run started. */
  t: z.number(),
  /** `console.group` depth of this line, when above 0. */
  depth: z.number().int().min(1).optional(),
  /** The arguments that were objects, structured, so a UI can expand them (absent when every argument was text). */
  values: z.array(InspectedValue).optional(),
  /** `console.table`: the table itself, beside its text rendering in `message`. */
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const RunError = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string(),
  /** 1-based line in the acorn's own source, when known. */
  line: z.number().int().optional(),
  /** 1-based column in the acorn's own source, when known. */
  column: z.number().int().optional(),
  /**
   * Set when the error is in an acorn the run imported: `acorn:{id}@{version}`; `line` and `column` are then in
   * that acorn's source. Absent for the run's own acorn.
   */
  source: z.string().optional(),
});
export type RunError = z.infer<typeof RunError>;

export const RunResult = z.object({
  status: RunStatus,
  /** The result as JSON; absent when it cannot be represented as JSON. */
  value: JsonValue.optional(),
  /** A readable rendering of the result, whatever it is (undefined, BigInt, functions, cycles). */
  preview: z.string(),
  logs: z.array(LogEntry),
  error: RunError.optional(),
  wallMs: z.number(),
  cpuMs: z.number(),
  truncated: z.object({ logs: z.boolean(), value: z.boolean() }),
  /** For a run called with a `request` that ended `ok`: what the handler answered. */
  response: RunHttpResponse.optional(),
});
export type RunResult = z.infer<typeof RunResult>;
