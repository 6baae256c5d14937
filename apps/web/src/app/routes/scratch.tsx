/** Run code without saving it; keep it as an acorn when it is worth keeping. */
import type { Language, RunResult, Visibility } from '@squirrelbin/schemas';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { CodeEditor, type CodeEditorHandle } from '../../components/code-editor';
import { ErrorMessage } from '../../components/query-status';
import { useCreateAcorn } from '../../features/acorns/api/create-acorn';
import { starterCode } from '../../features/acorns/draft';
import { OutputPanel } from '../../features/runs/components/output-panel';
import { parseRunInput, RunInputField } from '../../features/runs/components/run-input-field';
import { useRun } from '../../features/runs/hooks/use-run';
import { useShortcuts } from '../../lib/use-shortcuts';

const storageKey = 'squirrelbin.scratch';

interface Scratch {
  code: string;
  language: Language;
}

function loadScratch(): Scratch {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Scratch | null;
    if (saved && typeof saved.code === 'string') return saved;
  } catch {
    // A broken entry is replaced on the next keystroke.
  }
  return { code: starterCode, language: 'javascript' };
}

export default function ScratchRoute() {
  const [, navigate] = useLocation();
  const [scratch, setScratch] = useState(loadScratch);
  const [inputText, setInputText] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();
  const [result, setResult] = useState<RunResult | undefined>();
  const [title, setTitle] = useState('Scratch acorn');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [saving, setSaving] = useState(false);
  const run = useRun();
  const create = useCreateAcorn();
  const editor = useRef<CodeEditorHandle>(null);
  const id = useId();

  // The scratch survives a reload: nothing typed is lost.
  useEffect(() => localStorage.setItem(storageKey, JSON.stringify(scratch)), [scratch]);
  useEffect(() => {
    document.title = 'Scratch · SquirrelBin';
  }, []);

  const doRun = () => {
    const parsed = parseRunInput(inputText);
    if (!parsed.ok) return setInputError(parsed.message);
    setInputError(undefined);
    run.mutate({ kind: 'code', ...scratch, input: parsed.value }, { onSuccess: setResult });
  };

  const saveAsAcorn = () => {
    const cleanTitle = title.trim() || 'Scratch acorn';
    create.mutate(
      { title: cleanTitle, description: '', language: scratch.language, code: scratch.code, visibility },
      { onSuccess: (acorn) => navigate(`/a/${acorn.id}`) },
    );
  };

  useShortcuts({ run: doRun, save: () => setSaving(true) });

  return (
    <div className="page workbench">
      <div className="page-head">
        <h1>Scratch</h1>
        <p className="muted small">Runs without saving. Kept in this browser until you save it as an acorn.</p>
      </div>
      <div className="toolbar" role="toolbar" aria-label="Scratch actions">
        <button type="button" className="primary" onClick={doRun} disabled={run.isPending} data-testid="run">
          {run.isPending ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" onClick={() => setSaving(!saving)} aria-expanded={saving} data-testid="save-as-acorn">
          Save as acorn…
        </button>
        <div className="field inline-field">
          <label htmlFor={`${id}-language`}>Language</label>
          <select
            id={`${id}-language`}
            value={scratch.language}
            onChange={(event) => setScratch({ ...scratch, language: event.target.value as Language })}
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
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              value={title}
              maxLength={120}
              onChange={(event) => setTitle(event.target.value)}
              data-testid="save-title"
              // biome-ignore lint/a11y/noAutofocus: opening the form is a request to type the title.
              autoFocus
            />
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
          {create.isError ? <ErrorMessage error={create.error} title="Not saved — your code is kept" /> : null}
        </form>
      ) : null}
      <div className="split">
        <div className="split-main">
          <span className="label">Code</span>
          <CodeEditor
            ref={editor}
            value={scratch.code}
            onChange={(code) => setScratch((current) => ({ ...current, code }))}
            language={scratch.language}
            label="Code"
          />
          <RunInputField value={inputText} onChange={setInputText} error={inputError} />
        </div>
        <div className="split-side">
          <OutputPanel
            result={run.isError ? undefined : result}
            error={run.isError ? run.error : undefined}
            running={run.isPending}
            onErrorLine={(line, column) => editor.current?.focusAt(line, column)}
          />
        </div>
      </div>
    </div>
  );
}
