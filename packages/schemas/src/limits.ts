/** Field and size limits shared by the API (validation) and the SPA (form checks). */
export const fieldLimits = {
  titleMax: 120,
  descriptionMax: 2_000,
  codeMaxBytes: 64 * 1024,
  inputMaxBytes: 16 * 1024,
  /** Request and response bodies of `/x/{id}` endpoint calls. */
  endpointBodyMaxBytes: 1024 * 1024,
  queryMax: 100,
  listLimitMax: 100,
  listLimitDefault: 20,
} as const;

const encoder = new TextEncoder();

/** UTF-8 size of a string, the unit every byte limit is written in. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
