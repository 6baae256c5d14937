/** Search and replace (Ctrl/Cmd+F), loaded by the code editor once it shows (or at the first Ctrl/Cmd+F). */
import { openSearchPanel, search, searchKeymap } from '@codemirror/search';
import { EditorView, keymap } from '@codemirror/view';
import { panelTheme } from './editor-panel-theme';

export { openSearchPanel };

const searchTheme = EditorView.theme({
  '.cm-panel.cm-search label': { color: 'var(--fg)' },
  '.cm-searchMatch': { backgroundColor: 'var(--code-selection)', outline: '1px solid var(--accent)' },
  '.cm-searchMatch.cm-searchMatch-selected': {
    backgroundColor: 'var(--code-selection)',
    outline: '2px solid var(--focus)',
  },
});

export function searchExtension() {
  return [search({ top: true }), keymap.of(searchKeymap), panelTheme, searchTheme];
}
