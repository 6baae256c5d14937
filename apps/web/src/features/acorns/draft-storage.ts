/**
 * Unsaved drafts kept in localStorage, one per acorn (and one for a new acorn), until they are saved or
 * discarded. A draft remembers the stored version it was made on, so saving it later still goes through the
 * version check instead of overwriting what was saved since.
 */
import type { Acorn } from '@squirrelbin/schemas';
import type { DraftFields } from './draft';

export interface StoredDraft {
  fields: DraftFields;
  /** The stored acorn the draft was made on; null for a new acorn. */
  base: Acorn | null;
  /** When the draft was last written, ISO 8601. */
  updatedAt: string;
}

const prefix = 'squirrelbin.draft.';
/** The draft slot of a new, never saved acorn. */
export const newAcornSlot = 'new';

export function loadDraft(slot: string): StoredDraft | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(prefix + slot) ?? 'null') as StoredDraft | null;
    if (!parsed || typeof parsed.fields?.code !== 'string') return null;
    // Drafts kept before endpoints existed have no `endpoint` field: they were not served.
    return { ...parsed, fields: { ...parsed.fields, endpoint: parsed.fields.endpoint ?? false } };
  } catch {
    return null;
  }
}

/** Writes the draft; false when the browser refused (storage full or disabled). */
export function saveDraft(slot: string, fields: DraftFields, base: Acorn | null): boolean {
  try {
    const draft: StoredDraft = { fields, base, updatedAt: new Date().toISOString() };
    localStorage.setItem(prefix + slot, JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(slot: string): void {
  try {
    localStorage.removeItem(prefix + slot);
  } catch {
    // Nothing kept, nothing to clear.
  }
}
