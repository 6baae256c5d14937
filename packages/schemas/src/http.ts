import * as z from 'zod';

/**
 * HTTP headers as sent: `[name, value]` pairs, in order (a name may repeat). Written as arrays of two strings rather
 * than a tuple, which OpenAPI tools read poorly.
 */
export type HttpHeaderList = [string, string][];
const headerPairs = z.array(z.array(z.string()).length(2)).meta({ description: '[name, value] pairs, in order' });
/** Parsed as arrays of two strings, which is what the pairs are. */
const asPairs = (schema: z.ZodType) => schema as unknown as z.ZodType<HttpHeaderList>;
export const HttpHeaderList = asPairs(headerPairs);

/** RFC 9110 token: what a method name may be. */
const Method = z
  .string()
  .max(32)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not an HTTP method');

/**
 * `POST /api/run` with `request`: the code is called as an endpoint handler (its default export gets a `Request`),
 * without saving it — the editor's request tester uses it for drafts. The body is text (or base64 with
 * `bodyEncoding: "base64"`), bounded like a run's input.
 */
export const RunHttpRequest = z.strictObject({
  method: Method,
  url: z
    .url({ protocol: /^https?$/ })
    .max(4096)
    .meta({ description: 'The absolute URL the handler sees, e.g. https://host/x/{id}/path?q=1' }),
  headers: asPairs(headerPairs.max(100)).optional(),
  body: z.string().optional(),
  bodyEncoding: z.enum(['utf8', 'base64']).optional(),
});
export type RunHttpRequest = z.infer<typeof RunHttpRequest>;

/** What an endpoint handler answered; the body is base64, so binary bodies survive JSON. */
export const RunHttpResponse = z.object({
  status: z.number().int().min(200).max(599),
  headers: HttpHeaderList,
  bodyBase64: z.string(),
  bodyBytes: z.number().int().min(0),
});
export type RunHttpResponse = z.infer<typeof RunHttpResponse>;

/** `GET /api/modules`: the npm packages acorns may import, bundled with SquirrelBin. */
export const ModuleItem = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  license: z.string(),
  /** Size of the bundled artifact. */
  bytes: z.number().int().min(0),
});
export type ModuleItem = z.infer<typeof ModuleItem>;

export const ModuleList = z.object({ items: z.array(ModuleItem) });
export type ModuleList = z.infer<typeof ModuleList>;
