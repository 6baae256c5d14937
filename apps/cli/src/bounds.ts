/**
 * The few API bounds the CLI checks before it asks (so a bad flag is a usage error, exit 2). Copied rather than
 * imported: loading every zod schema would cost each command ~0.3 s of CPU at start. bounds.test.ts holds them equal
 * to @squirrelbin/schemas.
 */
export const bounds = {
  /** `AcornId`. */
  acornId: /^[A-Za-z0-9_-]{16,64}$/,
  /** `IdentityKey`. */
  identityKey: /^sqb_[A-Za-z0-9_-]{20,100}$/,
  /** `RunLimits.timeoutMs`. */
  timeoutMs: { min: 10, max: 10_000 },
  /** `jobLimits`. */
  iterationsMax: 10_000,
  concurrencyMax: 50,
  visibilities: ['public', 'unlisted', 'private'] as const,
};

export type Visibility = (typeof bounds.visibilities)[number];
