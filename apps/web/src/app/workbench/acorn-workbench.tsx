/** The acorn editor: fields, code, run with output, save with conflict handling, fork, share, delete, history. */
import type { Acorn, RunResult } from '@squirrelbin/schemas';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { CodeEditor, type CodeEditorHandle } from '../../components/code-editor';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/query-status';
import { useDeleteAcorn } from '../../features/acorns/api/delete-acorn';
import { AcornFields } from '../../features/acorns/components/acorn-fields';
import { ConflictPanel } from '../../features/acorns/components/conflict-panel';
import { RevisionHistory } from '../../features/acorns/components/revision-history';
import { fieldsOf } from '../../features/acorns/draft';
import { useAcornDraft } from '../../features/acorns/hooks/use-acorn-draft';
import { useIsAdmin } from '../../features/admin/api/get-metrics';
import { OutputPanel } from '../../features/runs/components/output-panel';
import { parseRunInput, RunInputField } from '../../features/runs/components/run-input-field';
import { useRun } from '../../features/runs/hooks/use-run';
import { useIdentity } from '../../lib/identity-store';
import { useShortcuts } from '../../lib/use-shortcuts';

export function AcornWorkbench({ acorn }: { acorn?: Acorn }) {
  const [, navigate] = useLocation();
  const identity = useIdentity();
  const isAdmin = useIsAdmin();
  const editor = useRef<CodeEditorHandle>(null);
  const draft = useAcornDraft({
    acorn,
    onCreated: (created) => navigate(`/a/${created.id}`, { replace: true }),
    onForked: (fork) => navigate(`/a/${fork.id}`),
  });
  const base = draft.base;
  const run = useRun();
  const [inputText, setInputText] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();
  const [lastResult, setLastResult] = useState<RunResult | undefined>();
  const remove = useDeleteAcorn();
  const [confirmDelete, setConfirmDelete] = useState(false);

  // Unknown id (an imported key that owns nothing yet) may still be the owner: the server decides.
  const isOwner = !!identity && !!base && (identity.id === null || identity.id === base.ownerId);
  const canSave = !base || isOwner;
  const saving = draft.saveState === 'saving';

  const doRun = () => {
    const parsed = parseRunInput(inputText);
    if (!parsed.ok) {
      setInputError(parsed.message);
      return;
    }
    setInputError(undefined);
    const saved = base ? fieldsOf(base) : undefined;
    const unchanged = saved && saved.code === draft.draft.code && saved.language === draft.draft.language;
    const request = unchanged
      ? { kind: 'acorn' as const, id: base!.id, input: parsed.value }
      : { kind: 'code' as const, language: draft.draft.language, code: draft.draft.code, input: parsed.value };
    run.mutate(request, { onSuccess: setLastResult });
  };

  const doSave = () => {
    if (saving) return;
    if (canSave) void draft.save();
    else void draft.fork();
  };

  useShortcuts({ save: doSave, run: doRun });

  // Typed text is never lost silently: leaving with unsaved changes asks first.
  useEffect(() => {
    if (!draft.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [draft.dirty]);

  useEffect(() => {
    document.title = `${draft.draft.title || 'Untitled'} · SquirrelBin`;
  }, [draft.draft.title]);

  const shareLink = base ? `${window.location.origin}/a/${base.id}` : '';

  return (
    <div className="page workbench">
      <div className="page-head">
        <h1 className="truncate">{base ? draft.draft.title || 'Untitled' : 'New acorn'}</h1>
        <SaveStatus
          state={draft.saveState}
          dirty={draft.dirty}
          version={base?.version}
          hasConflict={!!draft.conflict}
        />
      </div>
      <div className="toolbar" role="toolbar" aria-label="Acorn actions">
        <button
          type="button"
          className="primary"
          onClick={doRun}
          disabled={run.isPending}
          data-testid="run"
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          {run.isPending ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
        </button>
        <button
          type="button"
          onClick={doSave}
          disabled={saving}
          data-testid="save"
          aria-keyshortcuts="Control+S Meta+S"
        >
          {saving ? 'Saving…' : canSave ? 'Save' : 'Save as my fork'} <kbd>Ctrl+S</kbd>
        </button>
        {base ? (
          <>
            <button type="button" onClick={() => void draft.fork()} disabled={saving} data-testid="fork">
              Fork
            </button>
            <CopyButton text={shareLink} label="Copy share link" testId="copy-link" />
            {isOwner || isAdmin.data ? (
              <button
                type="button"
                className="danger"
                onClick={() => setConfirmDelete(true)}
                disabled={remove.isPending}
                data-testid="delete"
              >
                Delete
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {confirmDelete && base ? (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-delete-text" data-testid="confirm-delete">
          <p id="confirm-delete-text">Delete “{base.title}” for good? Its history goes with it.</p>
          <button
            type="button"
            className="danger"
            // biome-ignore lint/a11y/noAutofocus: the confirmation takes focus so the keyboard lands on it.
            autoFocus
            onClick={() =>
              remove.mutate(base.id, {
                onSuccess: () => navigate('/mine'),
                onSettled: () => setConfirmDelete(false),
              })
            }
            data-testid="confirm-delete-yes"
          >
            Delete for good
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {remove.isError ? <ErrorMessage error={remove.error} title="Could not delete" /> : null}
      {!canSave && base ? (
        <p className="notice small">
          This acorn belongs to someone else. You can edit and run it here; saving makes your own fork with your
          changes.
        </p>
      ) : null}
      {draft.conflict ? (
        <ConflictPanel
          conflict={draft.conflict}
          mine={draft.draft}
          changed={draft.changed}
          baseVersion={base?.version}
          saving={saving}
          onOverwrite={() => void draft.overwrite()}
          onTakeTheirs={draft.takeTheirs}
          onDismiss={draft.dismissConflict}
        />
      ) : null}
      {draft.saveError ? <ErrorMessage error={draft.saveError} title="Not saved — your changes are kept" /> : null}
      <AcornFields draft={draft.draft} errors={draft.errors} onChange={draft.setField} />
      <div className="split">
        <div className="split-main">
          <span className="label" id="code-label">
            Code
          </span>
          <CodeEditor
            ref={editor}
            value={draft.draft.code}
            onChange={(code) => draft.setField('code', code)}
            language={draft.draft.language}
            label="Code"
          />
          {draft.errors.code ? <p className="field-error">{draft.errors.code}</p> : null}
          <RunInputField value={inputText} onChange={setInputText} error={inputError} />
        </div>
        <div className="split-side">
          <OutputPanel
            result={run.isError ? undefined : lastResult}
            error={run.isError ? run.error : undefined}
            running={run.isPending}
            onErrorLine={(line, column) => editor.current?.focusAt(line, column)}
          />
        </div>
      </div>
      {base ? (
        <RevisionHistory
          acornId={base.id}
          currentVersion={base.version}
          canRestore={isOwner}
          restoring={saving}
          onRestore={(revision) => void draft.restore(revision)}
        />
      ) : null}
    </div>
  );
}

function SaveStatus({
  state,
  dirty,
  version,
  hasConflict,
}: {
  state: string;
  dirty: boolean;
  version: number | undefined;
  hasConflict: boolean;
}) {
  const text = hasConflict
    ? 'Conflict — not saved'
    : state === 'saving'
      ? 'Saving…'
      : dirty
        ? version
          ? 'Unsaved changes'
          : 'Not saved yet'
        : `Saved · version ${version}`;
  return (
    <p className="save-status muted" role="status" data-testid="save-status" data-dirty={dirty}>
      {text}
    </p>
  );
}
