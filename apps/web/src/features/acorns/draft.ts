/** The editable fields of an acorn, and the checks a draft must pass before it is sent. */
import { type Acorn, fieldLimits, type Language, type Revision, type Visibility } from '@squirrelbin/schemas';

export interface DraftFields {
  title: string;
  description: string;
  language: Language;
  visibility: Visibility;
  /** Served over HTTP at `/x/{id}` (when public or unlisted). */
  endpoint: boolean;
  code: string;
}

export const draftFieldNames = ['title', 'description', 'language', 'visibility', 'endpoint', 'code'] as const;

export const starterCode = `// Logs show in the output panel; the last expression is the result.
const greet = (name) => \`Hello, \${name}!\`;
console.log(greet(input?.name ?? 'squirrel'));
greet('world');
`;

export function newDraft(initial: Partial<DraftFields> = {}): DraftFields {
  return {
    title: 'Untitled acorn',
    description: '',
    language: 'javascript',
    visibility: 'public',
    endpoint: false,
    code: starterCode,
    ...initial,
  };
}

export function fieldsOf(source: Acorn | Revision): DraftFields {
  const { title, description, language, visibility, code } = source;
  // Acorns and revisions stored before endpoints existed have no `endpoint`: they were not served.
  return { title, description, language, visibility, endpoint: source.endpoint ?? false, code };
}

/** The fields of `draft` that differ from `base`: what a PATCH sends. */
export function changedFields(draft: DraftFields, base: DraftFields): Partial<DraftFields> {
  const changes: Partial<DraftFields> = {};
  for (const name of draftFieldNames) {
    if (draft[name] !== base[name]) Object.assign(changes, { [name]: draft[name] });
  }
  return changes;
}

export type DraftErrors = Partial<Record<keyof DraftFields, string>>;

const encoder = new TextEncoder();

/** Field checks mirroring the API's, so most mistakes are caught before a request. */
export function validateDraft(draft: DraftFields): DraftErrors {
  const errors: DraftErrors = {};
  const title = draft.title.trim();
  if (title.length === 0) errors.title = 'Give the acorn a title.';
  else if (title.length > fieldLimits.titleMax) errors.title = `At most ${fieldLimits.titleMax} characters.`;
  if (draft.description.length > fieldLimits.descriptionMax) {
    errors.description = `At most ${fieldLimits.descriptionMax} characters.`;
  }
  if (encoder.encode(draft.code).length > fieldLimits.codeMaxBytes) {
    errors.code = `Code is over ${fieldLimits.codeMaxBytes / 1024} KiB.`;
  }
  return errors;
}
