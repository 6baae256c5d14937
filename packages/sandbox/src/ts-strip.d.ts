/** See ts-strip.js. */
export interface StripFailure {
  /** Node's error code: `ERR_INVALID_TYPESCRIPT_SYNTAX`, `ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`, or another (a failure). */
  code: string | undefined;
  message: string;
  /** Node puts the position (`:<line>` and a snippet with carets) in front of the stack. */
  stack: string;
}

export type StripResult = { js: string; transformed: boolean } | { error: StripFailure };

export function stripTypeScript(code: string): StripResult;
