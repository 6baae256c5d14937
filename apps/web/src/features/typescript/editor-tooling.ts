/**
 * TypeScript in CodeMirror, answered by the type-check worker: diagnostics (underlines, gutter markers, F8 and the
 * problems panel), quick info on hover, and completion. The worker starts with the first check, so a page only pays
 * for TypeScript once a TypeScript acorn is open in an editor.
 */
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import { type Diagnostic, forEachDiagnostic, linter, lintGutter, lintKeymap, openLintPanel } from '@codemirror/lint';
import { type Extension, StateEffect, StateField } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap, type Panel, showPanel, type Tooltip, ViewPlugin } from '@codemirror/view';
import { completionTheme, panelTheme } from '../../components/editor-panel-theme';
import { requestTypeScript } from './client';
import type { TsCompletionEntry } from './protocol';

/** Pause after typing before the code is checked again. */
export const checkDelayMs = 400;

let files = 0;

type CheckState = 'loading' | 'ready' | 'unavailable';
const setCheckState = StateEffect.define<CheckState>();
const checkState = StateField.define<CheckState>({
  create: () => 'loading',
  update: (value, transaction) =>
    transaction.effects.reduce((current, effect) => (effect.is(setCheckState) ? effect.value : current), value),
});

export interface TypescriptToolingOptions {
  /**
   * Declarations of the modules an acorn may import (`declare module 'zod';`…), asked for the first time the code
   * imports something; the checker waits for them then, so a bundled import is never marked wrong on the way.
   */
  ambientModules?: () => Promise<string>;
  /** Asked before TypeScript's completion; its answer, when not null, is the only one (import specifiers). */
  completeFirst?: CompletionSource;
}

/** An import or export of a specifier that is not an acorn: the checker needs the module declarations. */
const importsModule = /\b(?:from|import)\s*\(?\s*['"](?!acorn:)/;

/** Sent once per page (the worker is one for the page): every editor's first import waits for the same answer. */
let modulesDeclared: Promise<unknown> | undefined;

/** The extension for one editor; each editor is its own file in the worker. */
export function typescriptTooling({ ambientModules, completeFirst }: TypescriptToolingOptions = {}): Extension {
  const file = `/acorn-${++files}.ts`;
  const text = (view: EditorView) => view.state.doc.toString();

  const report = (view: EditorView, state: CheckState) => {
    if (view.state.field(checkState, false) !== state) view.dispatch({ effects: setCheckState.of(state) });
  };

  const lint = async (view: EditorView): Promise<Diagnostic[]> => {
    const doc = view.state.doc;
    try {
      if (ambientModules && importsModule.test(doc.toString())) {
        modulesDeclared ??= ambientModules().then((text) => requestTypeScript('declareModules', { text }));
        await modulesDeclared;
      }
      const found = await requestTypeScript('diagnostics', { file, text: doc.toString() });
      report(view, 'ready');
      return found.map((diagnostic) => {
        const from = Math.min(diagnostic.from, doc.length);
        return {
          from,
          to: Math.min(Math.max(diagnostic.to, from), doc.length),
          severity: diagnostic.severity,
          message: diagnostic.message,
          source: `ts(${diagnostic.code})`,
        };
      });
    } catch {
      report(view, 'unavailable');
      return [];
    }
  };

  const hover = async (view: EditorView, pos: number): Promise<Tooltip | null> => {
    try {
      const info = await requestTypeScript('quickInfo', { file, text: text(view), pos });
      if (!info?.display) return null;
      return {
        pos: info.from,
        end: info.to,
        above: true,
        create: () => ({ dom: infoDom(info.display, info.documentation, info.tags, 'ts-quickinfo') }),
      };
    } catch {
      return null;
    }
  };

  const complete = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const first = await completeFirst?.(context);
    if (first || context.aborted) return first ?? null;
    const word = context.matchBefore(/[\w$]+/);
    const before = context.state.sliceDoc(context.pos - 1, context.pos);
    if (!context.explicit && !word && before !== '.') return null;
    const source = context.state.doc.toString();
    const pos = context.pos;
    let result: Awaited<ReturnType<typeof requestTypeScript<'completions'>>>;
    try {
      result = await requestTypeScript('completions', {
        file,
        text: source,
        pos,
        ...(before === '.' ? { triggerCharacter: '.' as const } : {}),
      });
    } catch {
      return null;
    }
    if (!result || context.aborted) return null;
    const options = result.entries.map((entry) => completion(entry, file, source, pos));
    return { from: word ? word.from : pos, options, validFor: /^[\w$]*$/ };
  };

  return [
    checkState,
    linter(lint, { delay: checkDelayMs }),
    lintGutter(),
    keymap.of(lintKeymap),
    hoverTooltip(hover, { hoverTime: 350 }),
    autocompletion({ override: [complete], icons: true }),
    showPanel.of(statusPanel),
    panelTheme,
    completionTheme,
    toolingTheme,
    // The worker forgets this editor's file when the editor goes away.
    ViewPlugin.define(() => ({
      destroy: () => void requestTypeScript('close', { file }).catch(() => {}),
    })),
  ];
}

const toolingTheme = EditorView.theme({
  '.cm-diagnostic': { color: 'var(--fg)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-diagnostic-info, .cm-diagnostic-hint': { borderLeftColor: 'var(--info)' },
  // Muted grey on the selected problem's background is below 4.5:1 in the dark theme.
  '.cm-diagnosticSource': { color: 'inherit', opacity: '1' },
  '.cm-panel.cm-panel-lint ul [aria-selected], .cm-panel.cm-panel-lint ul:focus [aria-selected]': {
    backgroundColor: 'var(--code-selection)',
    color: 'var(--fg)',
  },
  '.ts-info': { padding: '0.3rem 0.5rem', maxWidth: '36rem', fontSize: '13px' },
  '.ts-info-signature': { fontFamily: 'var(--font-mono)', whiteSpace: 'pre-wrap', display: 'block' },
  '.ts-info-doc': { margin: '0.3rem 0 0', whiteSpace: 'pre-wrap' },
  '.ts-status': {
    display: 'flex',
    alignItems: 'center',
    gap: '0.75rem',
    padding: '0.15rem 0.5rem',
    fontSize: '12px',
    fontFamily: 'system-ui, sans-serif',
  },
  '.ts-status[data-errors]:not([data-errors="0"]) > span': { color: 'var(--danger)' },
  '.ts-status-list': { font: 'inherit', padding: '0 0.4rem' },
});

const completionTypes: Record<string, string> = {
  function: 'function',
  'local function': 'function',
  method: 'method',
  property: 'property',
  getter: 'property',
  setter: 'property',
  var: 'variable',
  let: 'variable',
  const: 'constant',
  'local var': 'variable',
  parameter: 'variable',
  class: 'class',
  'local class': 'class',
  interface: 'interface',
  type: 'type',
  'type parameter': 'type',
  'primitive type': 'type',
  enum: 'enum',
  'enum member': 'enum',
  module: 'namespace',
  keyword: 'keyword',
  string: 'text',
};

function completion(entry: TsCompletionEntry, file: string, text: string, pos: number): Completion {
  // TypeScript's sortText is a rank as digits ("11" locals … "18" auto-imports): lower is better.
  const rank = Number.parseInt(entry.sortText.replace(/\D/g, '').slice(0, 2), 10);
  return {
    label: entry.name,
    type: completionTypes[entry.kind] ?? 'variable',
    boost: Number.isFinite(rank) ? Math.max(-99, 20 - rank) : 0,
    ...(entry.insertText !== undefined || entry.replacement
      ? {
          apply: (view: EditorView, _completion: Completion, from: number, to: number) => {
            const range = entry.replacement ?? { from, to };
            const insert = entry.insertText ?? entry.name;
            view.dispatch({
              changes: { from: range.from, to: Math.max(range.to, to), insert },
              selection: { anchor: range.from + insert.length },
              userEvent: 'input.complete',
            });
          },
        }
      : {}),
    info: async () => {
      try {
        const details = await requestTypeScript('completionDetails', {
          file,
          text,
          pos,
          name: entry.name,
          source: entry.source,
          data: entry.data,
        });
        return details ? infoDom(details.display, details.documentation, [], 'ts-completion-info') : null;
      } catch {
        return null;
      }
    },
  };
}

function infoDom(display: string, documentation: string, tags: string[], className: string): HTMLElement {
  const dom = document.createElement('div');
  dom.className = `ts-info ${className}`;
  const signature = document.createElement('code');
  signature.className = 'ts-info-signature';
  signature.textContent = display;
  dom.append(signature);
  for (const text of [documentation, ...tags]) {
    if (!text) continue;
    const paragraph = document.createElement('p');
    paragraph.className = 'ts-info-doc';
    paragraph.textContent = text;
    dom.append(paragraph);
  }
  return dom;
}

/** A line under the editor: whether the checker is loading, and how many problems it found (a button lists them). */
function statusPanel(view: EditorView): Panel {
  const dom = document.createElement('div');
  dom.className = 'ts-status';
  dom.dataset.testid = 'ts-status';
  const label = document.createElement('span');
  const list = document.createElement('button');
  list.type = 'button';
  list.className = 'cm-button ts-status-list';
  list.textContent = 'Show problems';
  list.title = 'Lists the problems (Ctrl/Cmd+Shift+M); F8 goes to the next one';
  list.addEventListener('click', () => openLintPanel(view));
  dom.append(label, list);

  const render = (view: EditorView) => {
    const state = view.state.field(checkState, false) ?? 'loading';
    let errors = 0;
    let others = 0;
    forEachDiagnostic(view.state, (diagnostic) => {
      if (diagnostic.severity === 'error') errors++;
      else others++;
    });
    dom.dataset.state = state;
    dom.dataset.errors = String(errors);
    list.hidden = state !== 'ready' || errors + others === 0;
    label.textContent =
      state === 'loading'
        ? 'TypeScript: loading the type checker…'
        : state === 'unavailable'
          ? 'TypeScript: type checking is unavailable.'
          : errors + others === 0
            ? 'TypeScript: no type errors.'
            : `TypeScript: ${plural(errors, 'error')}${others ? `, ${plural(others, 'other problem')}` : ''}.`;
  };
  render(view);
  return { dom, update: (update) => render(update.view), top: false };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
