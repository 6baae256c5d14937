/** Run code without saving it; keep it as an acorn when it is worth keeping. */
import { fieldLimits, type Language, type Visibility } from '@squirrelbin/schemas';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { CodeEditorHandle } from '../../components/code-editor';
import { PageHeading } from '../../components/page-heading';
import { ErrorMessage } from '../../components/query-status';
import { useCreateAcorn } from '../../features/acorns/api/create-acorn';
import { starterCode } from '../../features/acorns/draft';
import { ModulesButton } from '../../features/modules/components/modules-button';
import { RunButton } from '../../features/runs/components/run-button';
import { RunWorkspace } from '../../features/runs/components/run-workspace';
import { useRunner } from '../../features/runs/hooks/use-runner';
import { formatDateTime } from '../../lib/format-date';
import { useShortcuts } from '../../lib/use-shortcuts';
import { useImportSources } from '../workbench/use-import-sources';

const storageKey = 'squirrelbin.scratch';

interface Scratch {
  code: string;
  language: Language;
  updatedAt?: string;
}

const fresh = (): Scratch => ({ code: starterCode, language: 'javascript' });

function loadScratch(): Scratch | null {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Scratch | null;
    if (saved && typeof saved.code === 'string') return saved;
  } catch {
    // A broken entry is replaced on the next keystroke.
  }
  return null;
}

const untouched = (scratch: Scratch) => scratch.code === starterCode && scratch.language === 'javascript';

export default function ScratchRoute() {
  const [, navigate] = useLocation();
  const [initial] = useState(loadScratch);
  const [scratch, setScratch] = useState<Scratch>(() => initial ?? fresh());
  const [restoredAt, setRestoredAt] = useState(() =>
    initial && !untouched(initial) ? (initial.updatedAt ?? null) : undefined,
  );
  const [title, setTitle] = useState('Scratch acorn');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [saving, setSaving] = useState(false);
  const runner = useRunner();
  const imports = useImportSources();
  const create = useCreateAcorn();
  const editor = useRef<CodeEditorHandle>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const titleTooLong = title.trim().length > fieldLimits.titleMax;

  // The scratch survives leaving and reloading: nothing typed is lost until it is saved or discarded.
  useEffect(() => {
    if (untouched(scratch)) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify(scratch));
  }, [scratch]);
  useEffect(() => {
    document.title = 'Scratch · SquirrelBin';
  }, []);

  const edit = (change: Partial<Scratch>) =>
    setScratch((current) => ({ ...current, ...change, updatedAt: new Date().toISOString() }));

  const doRun = () =>
    runner.start((input) => ({ kind: 'code', code: scratch.code, language: scratch.language, input }));

  const discard = () => {
    setScratch(fresh());
    setRestoredAt(undefined);
    runner.clear();
  };

  const saveAsAcorn = () => {
    if (titleTooLong) {
      titleInput.current?.focus();
      return;
    }
    const cleanTitle = title.trim() || 'Scratch acorn';
    create.mutate(
      { title: cleanTitle, description: '', language: scratch.language, code: scratch.code, visibility },
      {
        onSuccess: (acorn) => {
          // Saved: the scratch has done its job.
          localStorage.removeItem(storageKey);
          navigate(`/a/${acorn.id}`);
        },
      },
    );
  };

  useShortcuts({ run: doRun, save: () => setSaving(true) });

  return (
    <div className="page workbench">
      <div className="page-head">
        <PageHeading>Scratch</PageHeading>
        <p className="muted small">Runs without saving. Kept in this browser until you save it as an acorn.</p>
      </div>
      {restoredAt !== undefined ? (
        <div className="notice" role="status" data-testid="draft-restored">
          <p>
            <strong>Unsaved scratch restored</strong>
            {restoredAt ? ` from ${formatDateTime(restoredAt)}` : ''}: it was kept in this browser.
          </p>
          <div className="actions">
            <button type="button" onClick={discard} data-testid="discard-draft">
              Discard it
            </button>
            <button type="button" onClick={() => setRestoredAt(undefined)}>
              Keep editing
            </button>
          </div>
        </div>
      ) : null}
      <div className="toolbar" role="toolbar" aria-label="Scratch actions">
        <RunButton onRun={doRun} running={runner.running} onStop={runner.stop} />
        <button type="button" onClick={() => setSaving(!saving)} aria-expanded={saving} data-testid="save-as-acorn">
          Save as acorn…
        </button>
        <div className="field inline-field">
          <label htmlFor={`${id}-language`}>Language</label>
          <select
            id={`${id}-language`}
            value={scratch.language}
            onChange={(event) => edit({ language: event.target.value as Language })}
          >
            <option value="javascript">JavaScript</option>
            <option value="typescript">TypeScript</option>
          </select>
        </div>
      </div>
      {saving ? (
        <form
          className="card save-form"
          onSubmit={(event) => {
            event.preventDefault();
            saveAsAcorn();
          }}
          data-testid="save-form"
        >
          <div className="field">
            <div className="label-row">
              <label htmlFor={`${id}-title`}>Title</label>
              <span id={`${id}-title-count`} className={titleTooLong ? 'counter over' : 'counter muted'}>
                {title.trim().length}/{fieldLimits.titleMax}
              </span>
            </div>
            <input
              ref={titleInput}
              id={`${id}-title`}
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              aria-invalid={titleTooLong || undefined}
              aria-describedby={`${id}-title-count`}
              data-testid="save-title"
              // biome-ignore lint/a11y/noAutofocus: opening the form is a request to type the title.
              autoFocus
            />
            {titleTooLong ? <p className="field-error">At most {fieldLimits.titleMax} characters.</p> : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-visibility`}>Visibility</label>
            <select
              id={`${id}-visibility`}
              value={visibility}
              onChange={(event) => setVisibility(event.target.value as Visibility)}
            >
              <option value="public">Public</option>
              <option value="unlisted">Unlisted</option>
              <option value="private">Private</option>
            </select>
          </div>
          <button type="submit" className="primary" disabled={create.isPending} data-testid="save-confirm">
            {create.isPending ? 'Saving…' : 'Save acorn'}
          </button>
          {create.isError ? <ErrorMessage error={create.error} title="Not saved — your code is kept" focus /> : null}
        </form>
      ) : null}
      <RunWorkspace
        runner={runner}
        code={scratch.code}
        onCodeChange={(code) => edit({ code })}
        language={scratch.language}
        editorRef={editor}
        imports={imports}
        editorTools={<ModulesButton />}
      />
    </div>
  );
}
