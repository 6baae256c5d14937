/** Exit codes (DESIGN.md, "CLI") and the errors that carry them. */
export const exitCodes = {
  ok: 0,
  /** The acorn failed: a run not `ok`, an endpoint answering non-2xx, a load with failed iterations. */
  acornFailed: 1,
  usage: 2,
  /** The server refused (any problem+json: 4xx, 5xx) or could not be reached. */
  server: 3,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Bad input from the user: a clear message and exit 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure already explained to the user, ending with this exit code. */
export class ExitError extends Error {
  override name = 'ExitError';
  /** An ExitCode, or 130 after Ctrl-C. */
  readonly code: number;

  constructor(code: ExitCode | 130, message = '') {
    super(message);
    this.code = code;
  }
}
