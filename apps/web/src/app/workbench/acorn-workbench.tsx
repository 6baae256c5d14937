/** The acorn editor: fields, code, run with output, save with conflict handling, fork, share, delete, history. */
import type { Acorn, Revision, RunHttpRequest } from '@squirrelbin/schemas';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { CodeEditorHandle } from '../../components/code-editor';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { PageHeading } from '../../components/page-heading';
import { ErrorMessage, Loading } from '../../components/query-status';
import { useDeleteAcorn } from '../../features/acorns/api/delete-acorn';
import { AcornFields, type AcornFieldsHandle } from '../../features/acorns/components/acorn-fields';
import { ConflictPanel } from '../../features/acorns/components/conflict-panel';
import { ForkedFrom } from '../../features/acorns/components/forked-from';
import { RevisionHistory } from '../../features/acorns/components/revision-history';
import { SharePanel } from '../../features/acorns/components/share-panel';
import { fieldsOf, validateDraft } from '../../features/acorns/draft';
import { useAcornDraft } from '../../features/acorns/hooks/use-acorn-draft';
import { useViewer } from '../../features/identity/api/get-me';
import { ModulesButton } from '../../features/modules/components/modules-button';
import { RunButton } from '../../features/runs/components/run-button';
import { RunWorkspace } from '../../features/runs/components/run-workspace';
import { useRunner } from '../../features/runs/hooks/use-runner';
import { formatDateTime } from '../../lib/format-date';
import { useNavigationBlocker } from '../../lib/use-navigation-blocker';
import { useShortcuts } from '../../lib/use-shortcuts';
import { useImportSources } from './use-import-sources';

type Dialog = { kind: 'delete' } | { kind: 'restore'; revision: Revision };

// Endpoint tools load only once the Endpoint switch is on, so a shared link's first load stays within its budget.
const EndpointPanel = lazy(() => import('./endpoint-panel'));
const EndpointTemplateOffer = lazy(() =>
  import('./endpoint-panel').then((module) => ({ default: module.EndpointTemplateOffer })),
);
// Load tests need a key and a saved acorn; lazy for the same reason.
const LoadTestPanel = lazy(() => import('../../features/jobs/components/load-test-panel'));

export function AcornWorkbench({ acorn }: { acorn?: Acorn }) {
  const [, navigate] = useLocation();
  const viewer = useViewer();
  const editor = useRef<CodeEditorHandle>(null);
  const fields = useRef<AcornFieldsHandle>(null);
  const problemsBox = useRef<HTMLDivElement>(null);
  const draft = useAcornDraft({
    acorn,
    onCreated: (created) => navigate(`/a/${created.id}`, { replace: true }),
    onForked: (fork) => navigate(`/a/${fork.id}`),
  });
  const base = draft.base;
  const runner = useRunner();
  const remove = useDeleteAcorn();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [nothingToSave, setNothingToSave] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const imports = useImportSources(base?.id);
  // The endpoint tester's request as typed (reported by the lazily loaded tester), for Run on an endpoint acorn.
  const testerRequest = useRef<RunHttpRequest | null>(null);
  const onTesterRequest = useCallback((request: RunHttpRequest | null) => {
    testerRequest.current = request;
  }, []);

  // The server says who this key is; nothing is guessed (an unknown key owns nothing).
  const isOwner = !!base && viewer.id !== null && viewer.id === base.ownerId;
  const canSave = !base || isOwner;
  const saving = draft.saveState === 'saving';
  const problems = validateDraft(draft.draft);
  const problemList = Object.values(problems);
  // The newest stored version known here: the conflict may have revealed one newer than the draft's base.
  const latest = draft.conflict?.theirs ?? base;

  const doRun = () => {
    // An endpoint's default export takes a Request, not the input: Run calls it as the request tester would.
    if (draft.draft.endpoint) {
      const request = testerRequest.current ?? {
        method: 'GET',
        url: `${window.location.origin}/x/${base?.id ?? 'new'}`,
        headers: [],
      };
      runner.start(() => ({ kind: 'endpoint', language: draft.draft.language, code: draft.draft.code, request }), {
        withInput: false,
      });
      return;
    }
    runner.start((input) => {
      const saved = base ? fieldsOf(base) : undefined;
      const unchanged = saved && saved.code === draft.draft.code && saved.language === draft.draft.language;
      return unchanged
        ? { kind: 'acorn', id: base!.id, input }
        : { kind: 'code', language: draft.draft.language, code: draft.draft.code, input };
    });
  };

  const doSave = () => {
    if (saving) return;
    if (problemList.length > 0) {
      draft.revealErrors();
      setShowProblems(true);
      // The first bad field takes focus; the code has no field of its own, so its message near Save does.
      if (problems.title) fields.current?.focus('title');
      else if (problems.description) fields.current?.focus('description');
      else requestAnimationFrame(() => problemsBox.current?.focus());
      return;
    }
    setShowProblems(false);
    if (base && canSave && !draft.dirty) {
      setNothingToSave(true);
      return;
    }
    if (canSave) void draft.save();
    else void draft.fork();
  };

  useShortcuts({ save: doSave, run: doRun });

  useEffect(() => {
    if (draft.dirty) setNothingToSave(false);
  }, [draft.dirty]);

  useNavigationBlocker(
    draft.hasUnsaved,
    `Your changes to “${draft.draft.title || 'Untitled'}” are not saved. They stay in this browser as a draft until you save or discard them.`,
    draft.discard,
  );

  useEffect(() => {
    document.title = `${draft.draft.title || 'Untitled'} · SquirrelBin`;
  }, [draft.draft.title]);

  const confirmDelete = () => {
    if (!base) return;
    remove.mutate(base.id, {
      onSuccess: () => {
        // The acorn is gone, and its draft with it.
        draft.discard();
        setDialog(null);
        navigate('/mine');
      },
      onError: () => setDialog(null),
    });
  };

  return (
    <div className="page workbench">
      <div className="page-head">
        <PageHeading className="truncate">{base ? draft.draft.title || 'Untitled' : 'New acorn'}</PageHeading>
        <SaveStatus
          state={draft.saveState}
          dirty={draft.dirty}
          version={base?.version}
          hasConflict={!!draft.conflict}
          visitor={!!base && !isOwner}
        />
      </div>
      {base?.forkOf ? <ForkedFrom id={base.forkOf} /> : null}
      {draft.restored ? (
        <div className="notice" role="status" data-testid="draft-restored">
          <p>
            <strong>Unsaved draft restored</strong> from {formatDateTime(draft.restored.updatedAt)}: your changes were
            kept in this browser.
            {draft.restored.madeOn
              ? ` It was made on version ${draft.restored.madeOn}; version ${draft.restored.current} has been saved since, so saving will show both.`
              : ''}
          </p>
          <div className="actions">
            <button type="button" onClick={draft.discard} data-testid="discard-draft">
              Discard draft
            </button>
            <button type="button" onClick={draft.dismissRestored}>
              Keep editing
            </button>
          </div>
        </div>
      ) : null}
      <div className="toolbar" role="toolbar" aria-label="Acorn actions">
        <RunButton onRun={doRun} running={runner.running} onStop={runner.stop} />
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
            {isOwner || viewer.admin ? (
              <button
                type="button"
                className="danger"
                onClick={() => setDialog({ kind: 'delete' })}
                disabled={remove.isPending}
                data-testid="delete"
              >
                Delete
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {/* Feedback on the actions above sits right under them, is announced, and takes focus. */}
      <div className="action-feedback">
        {showProblems && problemList.length > 0 ? (
          <div ref={problemsBox} className="error-box" role="alert" tabIndex={-1} data-testid="save-error">
            <strong>Not saved — fix this first:</strong>
            <ul>
              {problemList.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {draft.saveError ? (
          <ErrorMessage error={draft.saveError} title="Not saved — your changes are kept" focus testId="save-error" />
        ) : null}
        {remove.isError ? <ErrorMessage error={remove.error} title="Could not delete" focus /> : null}
        {nothingToSave && !draft.dirty ? (
          <p className="status-line" role="status" data-testid="nothing-to-save">
            Nothing to save: no changes since version {base?.version}.
          </p>
        ) : null}
      </div>
      {dialog?.kind === 'delete' && base ? (
        <ConfirmDialog
          title={`Delete “${base.title}”?`}
          testId="confirm-delete"
          busy={remove.isPending}
          cancel={{ label: 'Cancel', onSelect: () => setDialog(null), testId: 'confirm-delete-no' }}
          actions={[
            {
              label: remove.isPending ? 'Deleting…' : 'Delete for good',
              onSelect: confirmDelete,
              variant: 'danger',
              testId: 'confirm-delete-yes',
            },
          ]}
        >
          <p>It is deleted for good, with its history. Links to it stop working.</p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'restore' && base ? (
        <ConfirmDialog
          title={`Restore version ${dialog.revision.version}?`}
          testId="restore-dialog"
          cancel={{ label: 'Cancel', onSelect: () => setDialog(null), testId: 'restore-cancel' }}
          actions={[
            {
              label: `Restore version ${dialog.revision.version}`,
              variant: 'primary',
              testId: 'restore-confirm',
              onSelect: () => {
                const { revision } = dialog;
                setDialog(null);
                void draft.restore(revision);
              },
            },
          ]}
        >
          <p>
            Its code and fields are saved as a new version; version {base.version} stays in the history.
            {draft.dirty ? ' Your unsaved changes here are replaced.' : ''}
          </p>
        </ConfirmDialog>
      ) : null}
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
      <AcornFields ref={fields} draft={draft.draft} errors={draft.errors} onChange={draft.setField} />
      {draft.draft.endpoint ? (
        <Suspense fallback={null}>
          <EndpointTemplateOffer
            code={draft.draft.code}
            language={draft.draft.language}
            onUse={(code) => draft.setField('code', code)}
          />
        </Suspense>
      ) : null}
      <RunWorkspace
        runner={runner}
        code={draft.draft.code}
        onCodeChange={(code) => draft.setField('code', code)}
        language={draft.draft.language}
        editorRef={editor}
        sizeLimit
        imports={imports}
        editorTools={<ModulesButton />}
        outputNote={runner.ran?.kind === 'endpoint' ? <EndpointRunNote request={runner.ran.request} /> : null}
      />
      {draft.draft.endpoint || base?.endpoint ? (
        <Suspense fallback={<Loading label="Loading the endpoint tools…" />}>
          <EndpointPanel
            saved={base}
            draft={draft.draft}
            dirty={draft.dirty}
            canSeeCalls={!!base && (isOwner || viewer.admin)}
            onTesterRequest={onTesterRequest}
          />
        </Suspense>
      ) : null}
      {base && viewer.key && !viewer.error ? (
        <Suspense fallback={<Loading label="Loading load tests…" />}>
          <LoadTestPanel acorn={base} dirty={draft.dirty} />
        </Suspense>
      ) : null}
      {base && base.visibility !== 'private' ? <SharePanel acorn={base} /> : null}
      {base && latest ? (
        <RevisionHistory
          acorn={latest}
          editingVersion={base.version}
          canRestore={isOwner}
          restoring={saving}
          onRestore={(revision) => setDialog({ kind: 'restore', revision })}
        />
      ) : null}
    </div>
  );
}

/** Above the output of Run on an endpoint acorn: which request the handler got, and that nothing was recorded. */
function EndpointRunNote({ request }: { request: RunHttpRequest }) {
  const url = new URL(request.url);
  return (
    <p className="notice small" data-testid="endpoint-run-note">
      An endpoint: Run called the code in the editor as its handler with{' '}
      <code>
        {request.method} {url.pathname}
        {url.search}
      </code>{' '}
      (the request tester’s request, below). Not recorded; the run input is not used.
    </p>
  );
}

function SaveStatus({
  state,
  dirty,
  version,
  hasConflict,
  visitor,
}: {
  state: string;
  dirty: boolean;
  version: number | undefined;
  hasConflict: boolean;
  /** Someone else's acorn: its save state is not the visitor's business, only their own edits are. */
  visitor: boolean;
}) {
  const text = hasConflict
    ? 'Conflict — not saved'
    : state === 'saving'
      ? 'Saving…'
      : visitor
        ? dirty
          ? 'Edited here — not saved'
          : ''
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
