/**
 * The page theme for CodeMirror's panels, inputs, buttons and tooltips, which only the lazily loaded parts of the
 * editor (search, the TypeScript tooling) draw: it loads with them.
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
