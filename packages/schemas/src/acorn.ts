import * as z from 'zod';
import { fieldLimits } from './limits.ts';

export const Language = z.enum(['javascript', 'typescript']);
export type Language = z.infer<typeof Language>;

export const Visibility = z.enum(['public', 'unlisted', 'private']);
export type Visibility = z.infer<typeof Visibility>;

export const Title = z.string().trim().min(1, 'title must not be empty').max(fieldLimits.titleMax);
export const Description = z.string().max(fieldLimits.descriptionMax);
/** Code size is checked in bytes by the API (413), so the schema only requires a string. */
export const Code = z.string();

/** Served as an HTTP endpoint at `/x/{id}` (when public or unlisted). */
export const Endpoint = z
  .boolean()
  .meta({ description: 'Serve this acorn at /x/{id} (public or unlisted acorns only); default false' });

export const AcornId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not an acorn id');
const Timestamp = z.iso.datetime();

export const CreateAcornBody = z.strictObject({
  title: Title,
  description: Description.optional(),
  language: Language,
  code: Code,
  visibility: Visibility,
  endpoint: Endpoint.optional(),
});
export type CreateAcornBody = z.infer<typeof CreateAcornBody>;

export const UpdateAcornBody = z
  .strictObject({
    title: Title.optional(),
    description: Description.optional(),
    language: Language.optional(),
    code: Code.optional(),
    visibility: Visibility.optional(),
    endpoint: Endpoint.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' })
  .meta({ minProperties: 1 });
export type UpdateAcornBody = z.infer<typeof UpdateAcornBody>;

export const ForkAcornBody = z.strictObject({
  title: Title.optional(),
  visibility: Visibility.optional(),
});
export type ForkAcornBody = z.infer<typeof ForkAcornBody>;

export const AcornSummary = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  language: Language,
  visibility: Visibility,
  endpoint: z.boolean(),
  version: z.number().int().min(1),
  ownerId: z.string(),
  forkOf: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AcornSummary = z.infer<typeof AcornSummary>;

export const Acorn = AcornSummary.extend({ code: z.string() });
export type Acorn = z.infer<typeof Acorn>;

/** An empty `cursor=` means the first page, as if it were absent. */
export const Cursor = z
  .string()
  .max(2_048)
  .optional()
  .transform((cursor) => cursor || undefined);

export const ListAcornsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(fieldLimits.listLimitMax).default(fieldLimits.listLimitDefault),
  cursor: Cursor,
  q: z.string().trim().max(fieldLimits.queryMax).optional(),
  mine: z.enum(['true', 'false']).optional(),
});
export type ListAcornsQuery = z.infer<typeof ListAcornsQuery>;

export const AcornList = z.object({ items: z.array(AcornSummary), nextCursor: z.string().nullable() });
export type AcornList = z.infer<typeof AcornList>;

/** One earlier version of an acorn, as it was when that version was current. */
export const RevisionSummary = z.object({
  acornId: z.string(),
  version: z.number().int().min(1),
  title: z.string(),
  description: z.string(),
  language: Language,
  visibility: Visibility,
  endpoint: z.boolean(),
  savedAt: Timestamp,
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const Revision = RevisionSummary.extend({ code: z.string() });
export type Revision = z.infer<typeof Revision>;

export const RevisionList = z.object({ items: z.array(RevisionSummary), nextCursor: z.string().nullable() });
export type RevisionList = z.infer<typeof RevisionList>;

/** `?limit&cursor`: one page of a list that has nothing else to ask (revisions, invocations). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(fieldLimits.listLimitMax).default(fieldLimits.listLimitDefault),
  cursor: Cursor,
});
export type PageQuery = z.infer<typeof PageQuery>;

export const ListRevisionsQuery = PageQuery;
export type ListRevisionsQuery = z.infer<typeof ListRevisionsQuery>;
