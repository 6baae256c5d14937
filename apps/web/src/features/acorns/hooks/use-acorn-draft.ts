/**
 * An acorn being edited: the draft as typed, the stored version it was made on, and saving with
 * optimistic concurrency. A stale save (412) never overwrites and never drops the draft: it loads
 * the stored version so both can be shown, and the user picks. Unsaved drafts are kept in localStorage
 * (draft-storage.ts) and restored when the acorn is opened again.
 */
import { type Acorn, fieldLimits, type Revision } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../../../lib/api-client';
import { createAcorn } from '../api/create-acorn';
import { forkAcorn } from '../api/fork-acorn';
import { getAcorn } from '../api/get-acorn';
import { acornKeys } from '../api/query-keys';
import { updateAcorn } from '../api/update-acorn';
import { changedFields, type DraftErrors, type DraftFields, fieldsOf, newDraft, validateDraft } from '../draft';
import { clearDraft, loadDraft, newAcornSlot, saveDraft } from '../draft-storage';

export interface Conflict {
  /** The stored version named by the 412. */
  currentVersion: number | undefined;
  /** The stored acorn, once loaded. */
  theirs?: Acorn;
  loadError?: unknown;
}

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

export interface UseAcornDraftOptions {
  acorn?: Acorn;
  initial?: Partial<DraftFields>;
  onCreated?: (acorn: Acorn) => void;
  onForked?: (acorn: Acorn) => void;
  /** Keep unsaved changes in localStorage and restore them (default true). */
  persist?: boolean;
}

/** A draft found in storage and put back in the editor. */
export interface RestoredDraft {
  updatedAt: string;
  /** The version it was made on, when that is older than the stored one (saving will show both). */
  madeOn?: number;
  current?: number;
}

const differs = (a: DraftFields, b: DraftFields) => Object.keys(changedFields(a, b)).length > 0;

/** Unsaved work: changes to a stored acorn, or a new acorn that is not the untouched template. */
function hasUnsavedWork(draft: DraftFields, base: Acorn | undefined, template: DraftFields): boolean {
  return differs(draft, base ? fieldsOf(base) : template);
}

function initialState(acorn: Acorn | undefined, template: DraftFields, slot: string, persist: boolean) {
  const stored = persist ? loadDraft(slot) : null;
  if (acorn) {
    if (
      stored?.base?.id === acorn.id &&
      stored.base.version <= acorn.version &&
      differs(stored.fields, fieldsOf(acorn))
    ) {
      // A draft made on an older version keeps that version as its base, so saving it meets the version check.
      const older = stored.base.version < acorn.version;
      const restored: RestoredDraft = {
        updatedAt: stored.updatedAt,
        ...(older ? { madeOn: stored.base.version, current: acorn.version } : {}),
      };
      return { draft: stored.fields, base: older ? stored.base : acorn, restored };
    }
    return { draft: fieldsOf(acorn), base: acorn, restored: null };
  }
  if (stored && !stored.base && differs(stored.fields, template)) {
    return { draft: stored.fields, base: undefined, restored: { updatedAt: stored.updatedAt } as RestoredDraft };
  }
  return { draft: template, base: undefined, restored: null };
}

export function useAcornDraft({ acorn, initial, onCreated, onForked, persist = true }: UseAcornDraftOptions) {
  const queryClient = useQueryClient();
  const slot = acorn?.id ?? newAcornSlot;
  const [template] = useState(() => newDraft(initial));
  const [start] = useState(() => initialState(acorn, template, slot, persist));
  const [draft, setDraftState] = useState<DraftFields>(start.draft);
  const [base, setBaseState] = useState<Acorn | undefined>(start.base);
  const [restored, setRestored] = useState<RestoredDraft | null>(start.restored);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [showErrors, setShowErrors] = useState(false);
  const busy = useRef(false);
  // The latest draft and base, for callbacks that run after an await and for the navigation guard, which must
  // see a save that finished in this same event (before React re-renders).
  const draftRef = useRef(draft);
  const baseRef = useRef(base);
  const setDraft = useCallback((next: DraftFields | ((current: DraftFields) => DraftFields)) => {
    draftRef.current = typeof next === 'function' ? next(draftRef.current) : next;
    setDraftState(draftRef.current);
  }, []);
  const setBase = useCallback((next: Acorn | undefined) => {
    baseRef.current = next;
    setBaseState(next);
  }, []);

  const errors: DraftErrors = validateDraft(draft);
  const valid = Object.keys(errors).length === 0;
  const dirty = !base || differs(draft, fieldsOf(base));
  const unsaved = hasUnsavedWork(draft, base, template);

  // Keep unsaved work in the browser until it is saved or discarded.
  useEffect(() => {
    if (!persist) return;
    if (unsaved) saveDraft(slot, draft, base ?? null);
    else clearDraft(slot);
  }, [persist, slot, draft, base, unsaved]);

  const setField = useCallback(
    <K extends keyof DraftFields>(name: K, value: DraftFields[K]) => {
      setDraft((current) => ({ ...current, [name]: value }));
    },
    [setDraft],
  );

  /** Whether leaving now would leave unsaved work behind (read at the moment of asking). */
  const hasUnsaved = useCallback(() => hasUnsavedWork(draftRef.current, baseRef.current, template), [template]);

  /** Drops the unsaved changes: back to the newest stored version known here (or the template). */
  const discard = useCallback(() => {
    const latest = [acorn, baseRef.current, conflict?.theirs]
      .filter((candidate): candidate is Acorn => !!candidate)
      .sort((a, b) => b.version - a.version)[0];
    setDraft(latest ? fieldsOf(latest) : template);
    setBase(latest);
    setConflict(null);
    setRestored(null);
    setSaveState('idle');
    setSaveError(null);
    setShowErrors(false);
    clearDraft(slot);
  }, [acorn, conflict, setBase, setDraft, slot, template]);

  const stored = useCallback(
    (saved: Acorn) => {
      queryClient.setQueryData(acornKeys.detail(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: acornKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: acornKeys.revisions(saved.id) });
    },
    [queryClient],
  );

  /** The server trims titles: take its form, so a trailing space does not look like an unsaved change. */
  const adoptTrimmedTitle = useCallback(
    (saved: Acorn) =>
      setDraft((current) =>
        current.title !== saved.title && current.title.trim() === saved.title
          ? { ...current, title: saved.title }
          : current,
      ),
    [setDraft],
  );

  /** PATCHes `fields` onto the stored acorn at `version`; a 412 opens the conflict instead. */
  const patch = useCallback(
    async (id: string, version: number, fields: DraftFields, against: DraftFields): Promise<Acorn | undefined> => {
      const changes = changedFields(fields, against);
      setSaveState('saving');
      setSaveError(null);
      try {
        const saved =
          Object.keys(changes).length === 0 ? (baseRef.current as Acorn) : await updateAcorn({ id, version, changes });
        setBase(saved);
        adoptTrimmedTitle(saved);
        setConflict(null);
        setRestored(null);
        setSaveState('saved');
        stored(saved);
        return saved;
      } catch (error) {
        setSaveState('error');
        if (isApiError(error, 412)) {
          setConflict({ currentVersion: error.currentVersion });
          try {
            const theirs = await getAcorn(id);
            setConflict({ currentVersion: error.currentVersion, theirs });
          } catch (loadError) {
            setConflict({ currentVersion: error.currentVersion, loadError });
          }
        } else {
          setSaveError(error);
        }
        return undefined;
      }
    },
    [stored, setBase, adoptTrimmedTitle],
  );

  const run = useCallback(async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    if (busy.current) return undefined;
    busy.current = true;
    try {
      return await work();
    } finally {
      busy.current = false;
    }
  }, []);

  const save = useCallback(
    () =>
      run(async () => {
        const fields = draftRef.current;
        if (Object.keys(validateDraft(fields)).length > 0) {
          setShowErrors(true);
          return undefined;
        }
        if (!base) {
          setSaveState('saving');
          setSaveError(null);
          try {
            const created = await createAcorn({ ...fields, title: fields.title.trim() });
            setBase(created);
            adoptTrimmedTitle(created);
            setRestored(null);
            clearDraft(slot);
            setSaveState('saved');
            stored(created);
            onCreated?.(created);
            return created;
          } catch (error) {
            setSaveState('error');
            setSaveError(error);
            return undefined;
          }
        }
        return patch(base.id, base.version, fields, fieldsOf(base));
      }),
    [base, onCreated, patch, run, stored, setBase, slot, adoptTrimmedTitle],
  );

  /**
   * Saves the fields changed here over the stored version shown in the conflict; fields not touched here
   * keep their stored values (so a rename elsewhere survives an overwrite of the code here).
   */
  const overwrite = useCallback(
    () =>
      run(async () => {
        const theirs = conflict?.theirs;
        if (!theirs || !base) return undefined;
        const fields = { ...fieldsOf(theirs), ...changedFields(draftRef.current, fieldsOf(base)) };
        setDraft(fields);
        return patch(theirs.id, theirs.version, fields, fieldsOf(theirs));
      }),
    [base, conflict, patch, run, setDraft],
  );

  /** Drops the draft for the stored version shown in the conflict. */
  const takeTheirs = useCallback(() => {
    const theirs = conflict?.theirs;
    if (!theirs) return;
    setDraft(fieldsOf(theirs));
    setBase(theirs);
    setConflict(null);
    setRestored(null);
    setSaveState('idle');
    stored(theirs);
  }, [conflict, stored, setBase, setDraft]);

  /** Restores an earlier revision: a PATCH with that revision's fields. */
  const restore = useCallback(
    (revision: Revision) =>
      run(async () => {
        if (!base) return undefined;
        const fields = fieldsOf(revision);
        setDraft(fields);
        return patch(base.id, base.version, fields, fieldsOf(base));
      }),
    [base, patch, run, setDraft],
  );

  /** Copies the acorn into the caller's own, carrying over whatever was typed. */
  const fork = useCallback(
    () =>
      run(async () => {
        if (!base) return undefined;
        setSaveState('saving');
        setSaveError(null);
        try {
          // A fork is named as one unless the title was changed here (then the PATCH below renames it).
          let copy = await forkAcorn(base.id, { title: forkTitle(base.title) });
          // Only what was changed here goes onto the fork, over the source as it is stored now.
          const mine = changedFields(draftRef.current, fieldsOf(base));
          const changes = changedFields({ ...fieldsOf(copy), ...mine }, fieldsOf(copy));
          if (Object.keys(changes).length > 0)
            copy = await updateAcorn({ id: copy.id, version: copy.version, changes });
          // What was typed now lives in the fork: this acorn's draft is done.
          setDraft(fieldsOf(base));
          clearDraft(slot);
          setRestored(null);
          setSaveState('saved');
          stored(copy);
          onForked?.(copy);
          return copy;
        } catch (error) {
          setSaveState('error');
          setSaveError(error);
          return undefined;
        }
      }),
    [base, onForked, run, stored, setDraft, slot],
  );

  return {
    draft,
    setField,
    base,
    dirty,
    /** Changes that exist only in this browser (a new acorn counts once it differs from the template). */
    unsaved,
    hasUnsaved,
    discard,
    restored,
    dismissRestored: () => setRestored(null),
    revealErrors: () => setShowErrors(true),
    /** The fields changed here since the stored version the draft was made on. */
    changed: base ? (Object.keys(changedFields(draft, fieldsOf(base))) as (keyof DraftFields)[]) : [],
    errors: showErrors ? errors : {},
    valid,
    save,
    saveState,
    saveError,
    conflict,
    overwrite,
    takeTheirs,
    dismissConflict: () => setConflict(null),
    restore,
    fork,
  };
}

export type AcornDraft = ReturnType<typeof useAcornDraft>;

/** `Title (fork)`, within the title limit; a title that already says so is kept. */
export function forkTitle(title: string): string {
  const suffix = ' (fork)';
  if (title.endsWith(suffix)) return title;
  return `${title.slice(0, fieldLimits.titleMax - suffix.length).trimEnd()}${suffix}`;
}
