/**
 * Editor and output as fixed-height panes: side by side with a draggable divider on wide screens, one at a time
 * behind tabs on narrow ones (Run switches to the output). The panes scroll inside; the page never grows with
 * the code or the logs.
 */
import { fieldLimits, type Language, utf8Bytes } from '@squirrelbin/schemas';
import { type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { CodeEditor, type CodeEditorHandle, type ImportSources } from '../../../components/code-editor';
import { narrowQuery, touchQuery, useMediaQuery } from '../../../lib/use-media-query';
import type { Runner } from '../hooks/use-runner';
import { OutputPanel } from './output-panel';
import { RunInputField } from './run-input-field';

export interface RunWorkspaceProps {
  runner: Runner;
  code: string;
  onCodeChange?: (code: string) => void;
  language: Language;
  readOnly?: boolean;
  editorRef: React.RefObject<CodeEditorHandle | null>;
  /** Show the code's size against the save limit. */
  sizeLimit?: boolean;
  /** What the code may import, for the editor's completion and type checking. */
  imports?: ImportSources;
  /** More controls in the bar above the editor (e.g. the modules reference). */
  editorTools?: ReactNode;
  /** Shown above the output (e.g. how Run ran the code). */
  outputNote?: ReactNode;
}

type Pane = 'code' | 'output';

const splitKey = 'squirrelbin.split';
const wrapKey = 'squirrelbin.wrap';

function storedNumber(key: string, fallback: number): number {
  const value = Number(localStorage.getItem(key));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function RunWorkspace({
  runner,
  code,
  onCodeChange,
  language,
  readOnly = false,
  editorRef,
  sizeLimit = false,
  imports,
  editorTools,
  outputNote,
}: RunWorkspaceProps) {
  const id = useId();
  const narrow = useMediaQuery(narrowQuery);
  const touch = useMediaQuery(touchQuery);
  const [pane, setPane] = useState<Pane>('code');
  const [split, setSplit] = useState(() => storedNumber(splitKey, 58));
  const [wrap, setWrap] = useState(() => {
    const stored = localStorage.getItem(wrapKey);
    return stored === null ? window.matchMedia(touchQuery).matches : stored === 'true';
  });
  const workspace = useRef<HTMLDivElement>(null);
  const bytes = sizeLimit ? utf8Bytes(code) : 0;
  const over = bytes > fieldLimits.codeMaxBytes;

  // After each Run, the output is what the user wants to see: on narrow screens, switch to it and bring it into view.
  useEffect(() => {
    if (runner.runCount === 0) return;
    setPane('output');
    if (window.matchMedia(narrowQuery).matches) workspace.current?.scrollIntoView({ block: 'start' });
  }, [runner.runCount]);

  const onWrap = (value: boolean) => {
    setWrap(value);
    localStorage.setItem(wrapKey, String(value));
  };

  const tab = (name: Pane, label: string) => (
    <button
      type="button"
      role="tab"
      id={`${id}-tab-${name}`}
      aria-selected={pane === name}
      aria-controls={`${id}-pane-${name}`}
      tabIndex={pane === name ? 0 : -1}
      onClick={() => setPane(name)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
          const next = name === 'code' ? 'output' : 'code';
          setPane(next);
          document.getElementById(`${id}-tab-${next}`)?.focus();
        }
      }}
      data-testid={`pane-tab-${name}`}
    >
      {label}
      {name === 'output' && runner.running ? <span className="muted"> (running)</span> : null}
      {name === 'output' && !runner.running && runner.result ? (
        <>
          <span className={`dot dot-${runner.result.status}`} aria-hidden="true" />
          <span className="visually-hidden">: {runner.result.status}</span>
        </>
      ) : null}
    </button>
  );

  const paneProps = (name: Pane) =>
    narrow
      ? {
          id: `${id}-pane-${name}`,
          role: 'tabpanel',
          'aria-labelledby': `${id}-tab-${name}`,
          hidden: pane !== name,
        }
      : { id: `${id}-pane-${name}` };

  return (
    <div
      ref={workspace}
      className={`workspace${touch ? ' touch' : ''}`}
      data-narrow={narrow || undefined}
      data-testid="workspace"
    >
      {narrow ? (
        <div className="workspace-tabs" role="tablist" aria-label="Code or output">
          {tab('code', 'Code')}
          {tab('output', 'Output')}
        </div>
      ) : null}
      <div className="workspace-panes" style={{ '--split': `${split}%` } as React.CSSProperties}>
        <div className="pane pane-code" {...paneProps('code')}>
          <div className="editor-bar">
            <span className="label" id={`${id}-code-label`}>
              Code
            </span>
            <label className="check small">
              <input
                type="checkbox"
                checked={wrap}
                onChange={(event) => onWrap(event.target.checked)}
                data-testid="wrap-lines"
              />{' '}
              Wrap lines
            </label>
            {sizeLimit ? (
              <span
                id={`${id}-size`}
                className={over ? 'code-size over' : 'code-size muted'}
                data-testid="code-size"
                data-over={over}
              >
                {formatKib(bytes)} of {formatKib(fieldLimits.codeMaxBytes)}
                {over ? ' — over the limit, cannot be saved' : ''}
              </span>
            ) : null}
            {editorTools}
          </div>
          <CodeEditor
            ref={editorRef as Ref<CodeEditorHandle>}
            value={code}
            onChange={onCodeChange}
            language={language}
            label="Code"
            readOnly={readOnly}
            wrap={wrap}
            invalid={over}
            describedBy={sizeLimit ? `${id}-size` : undefined}
            imports={readOnly ? undefined : imports}
          />
          <RunInputField
            ref={runner.inputRef}
            value={runner.inputText}
            onChange={runner.setInputText}
            error={runner.inputError}
          />
        </div>
        {narrow ? null : <Splitter value={split} onChange={setSplit} />}
        <div className="pane pane-output" {...paneProps('output')}>
          <OutputPanel
            note={outputNote}
            result={runner.result}
            error={runner.error}
            running={runner.running}
            live={runner.live}
            onClear={runner.clear}
            onErrorLine={(line, column) => {
              setPane('code');
              // Let the code pane show before moving the cursor into it.
              requestAnimationFrame(() => editorRef.current?.focusAt(line, column));
            }}
          />
        </div>
      </div>
    </div>
  );
}

/** The divider between editor and output: drag it, or focus it and use the arrow keys. */
function Splitter({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const set = (next: number) => {
    const clamped = Math.round(Math.min(80, Math.max(25, next)));
    onChange(clamped);
    localStorage.setItem(splitKey, String(clamped));
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, draggable divider is the ARIA separator pattern; <hr> cannot take focus.
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize editor and output"
      aria-valuemin={25}
      aria-valuemax={80}
      aria-valuenow={value}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') set(value - 5);
        else if (event.key === 'ArrowRight') set(value + 5);
        else return;
        event.preventDefault();
      }}
      onPointerDown={(event) => {
        const handle = event.currentTarget;
        const box = handle.parentElement!.getBoundingClientRect();
        handle.setPointerCapture(event.pointerId);
        const move = (moved: PointerEvent) => set(((moved.clientX - box.left) / box.width) * 100);
        const up = () => {
          handle.removeEventListener('pointermove', move);
          handle.removeEventListener('pointerup', up);
        };
        handle.addEventListener('pointermove', move);
        handle.addEventListener('pointerup', up);
      }}
      data-testid="splitter"
    />
  );
}

function formatKib(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}
