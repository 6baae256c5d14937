import { z } from 'zod';
import { Language } from './acorn.ts';

export const RunStatus = z.enum(['ok', 'error', 'timeout', 'memory', 'killed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const LogLevel = z.enum(['log', 'info', 'warn', 'error', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

/** Per-run limits a caller may ask for; the server clamps them to its maxima. */
export const RunLimits = z.strictObject({
  timeoutMs: z.number().int().min(10).max(10_000).optional(),
  memoryMb: z.number().int().min(8).max(512).optional(),
});
export type RunLimits = z.infer<typeof RunLimits>;

/** Any JSON value: what a caller passes as `input`. */
export const JsonValue: z.ZodType<unknown> = z.json();

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
});
export type RunCodeBody = z.infer<typeof RunCodeBody>;

export const LogEntry = z.object({
  level: LogLevel,
  message: z.string(),
  /** Milliseconds since the run started. */
  t: z.number(),
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
});
export type RunResult = z.infer<typeof RunResult>;
