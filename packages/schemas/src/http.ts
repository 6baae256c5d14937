import * as z from 'zod';

/** An HTTP header as sent: name and value, in order (a name may repeat). */
export const HttpHeaderList = z.array(z.tuple([z.string(), z.string()]));
export type HttpHeaderList = z.infer<typeof HttpHeaderList>;

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
  headers: HttpHeaderList.max(100).optional(),
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

