/**
 * The page theme for CodeMirror's panels, inputs, buttons, tooltips and completion list, which only the lazily loaded
 * parts of the editor (search, the TypeScript tooling, import completion) draw: it loads with them.
 */
import { EditorView } from '@codemirror/view';

export const panelTheme = EditorView.theme({
  '.cm-panels': { backgroundColor: 'var(--code-gutter)', color: 'var(--fg)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-textfield': {
    backgroundColor: 'var(--code-bg)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '.cm-button': {
    backgroundImage: 'none',
    backgroundColor: 'var(--surface)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '.cm-button:active': { backgroundImage: 'none', backgroundColor: 'var(--code-active)' },
  '.cm-panel button[name=close]': { color: 'var(--fg)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
});

export const completionTheme = EditorView.theme({
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--font-mono)', maxHeight: '14em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--code-selection)',
    color: 'var(--fg)',
  },
  '.cm-completionIcon': { opacity: '1', color: 'var(--muted)' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
  '.cm-completionInfo': { maxWidth: '28rem' },
});
