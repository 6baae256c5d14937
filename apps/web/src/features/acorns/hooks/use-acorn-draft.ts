/**
 * An acorn being edited: the draft as typed, the stored version it was made on, and saving with
 * optimistic concurrency. A stale save (412) never overwrites and never drops the draft: it loads
 * the stored version so both can be shown, and the user picks.
 */
import type { Acorn, Revision } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { isApiError } from '../../../lib/api-client';
import { createAcorn } from '../api/create-acorn';
import { forkAcorn } from '../api/fork-acorn';
import { getAcorn } from '../api/get-acorn';
import { acornKeys } from '../api/query-keys';
import { updateAcorn } from '../api/update-acorn';
import { changedFields, type DraftErrors, type DraftFields, fieldsOf, newDraft, validateDraft } from '../draft';

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
}

export function useAcornDraft({ acorn, initial, onCreated, onForked }: UseAcornDraftOptions) {
  const queryClient = useQueryClient();
  const [draft, setDraftState] = useState<DraftFields>(() => (acorn ? fieldsOf(acorn) : newDraft(initial)));
  const [base, setBase] = useState<Acorn | undefined>(acorn);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [showErrors, setShowErrors] = useState(false);
  const busy = useRef(false);
  // The latest draft, for callbacks that run after an await.
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const errors: DraftErrors = validateDraft(draft);
  const valid = Object.keys(errors).length === 0;
  const dirty = !base || Object.keys(changedFields(draft, fieldsOf(base))).length > 0;

  const setField = useCallback(<K extends keyof DraftFields>(name: K, value: DraftFields[K]) => {
    setDraftState((current) => ({ ...current, [name]: value }));
  }, []);

  const stored = useCallback(
    (saved: Acorn) => {
      queryClient.setQueryData(acornKeys.detail(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: acornKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: acornKeys.revisions(saved.id) });
    },
    [queryClient],
  );

  /** PATCHes `fields` onto the stored acorn at `version`; a 412 opens the conflict instead. */
  const patch = useCallback(
    async (id: string, version: number, fields: DraftFields, against: DraftFields): Promise<Acorn | undefined> => {
      const changes = changedFields(fields, against);
      setSaveState('saving');
      setSaveError(null);
      try {
        const saved = Object.keys(changes).length === 0 ? (base as Acorn) : await updateAcorn({ id, version, changes });
        setBase(saved);
        setConflict(null);
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
    [base, stored],
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
    [base, onCreated, patch, run, stored],
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
        setDraftState(fields);
        return patch(theirs.id, theirs.version, fields, fieldsOf(theirs));
      }),
    [base, conflict, patch, run],
  );

  /** Drops the draft for the stored version shown in the conflict. */
  const takeTheirs = useCallback(() => {
    const theirs = conflict?.theirs;
    if (!theirs) return;
    setDraftState(fieldsOf(theirs));
    setBase(theirs);
    setConflict(null);
    setSaveState('idle');
    stored(theirs);
  }, [conflict, stored]);

  /** Restores an earlier revision: a PATCH with that revision's fields. */
  const restore = useCallback(
    (revision: Revision) =>
      run(async () => {
        if (!base) return undefined;
        const fields = fieldsOf(revision);
        setDraftState(fields);
        return patch(base.id, base.version, fields, fieldsOf(base));
      }),
    [base, patch, run],
  );

  /** Copies the acorn into the caller's own, carrying over whatever was typed. */
  const fork = useCallback(
    () =>
      run(async () => {
        if (!base) return undefined;
        setSaveState('saving');
        setSaveError(null);
        try {
          let copy = await forkAcorn(base.id);
          const changes = changedFields(draftRef.current, fieldsOf(copy));
          if (Object.keys(changes).length > 0)
            copy = await updateAcorn({ id: copy.id, version: copy.version, changes });
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
    [base, onForked, run, stored],
  );

  return {
    draft,
    setField,
    base,
    dirty,
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
