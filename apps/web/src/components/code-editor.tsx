/** CodeMirror 6 with JavaScript/TypeScript highlighting. Heavy: only routes loaded lazily import it. */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { Language } from '@squirrelbin/schemas';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';

export interface CodeEditorHandle {
  /** Moves the cursor to a 1-based line (and column) and focuses the editor. */
  focusAt(line: number, column?: number): void;
  focus(): void;
}

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  language: Language;
  label: string;
  readOnly?: boolean;
  /** Soft-wrap long lines instead of scrolling sideways. */
  wrap?: boolean;
  /** Marks the code as not acceptable (e.g. over the size limit). */
  invalid?: boolean;
  /** Ids of elements that describe the code (size, errors). */
  describedBy?: string;
  /** More CodeMirror extensions (diagnostics, completion…), fixed for the editor's life. */
  extensions?: Extension[];
  ref?: Ref<CodeEditorHandle>;
  testId?: string;
}

// Colours come from CSS variables so the editor follows the light/dark theme of the page.
export const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword], color: 'var(--tok-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--tok-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--tok-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--tok-function)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--tok-type)' },
  { tag: [tags.propertyName, tags.definition(tags.variableName)], color: 'var(--tok-property)' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)', fontSize: '14px', borderRadius: '6px' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--code-gutter)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--code-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--code-active)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--code-selection) !important',
  },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-scroller': { overflow: 'auto' },
});

const languageExtension = (language: Language) => javascript({ typescript: language === 'typescript' });

function contentAttributes(label: string, testId: string, invalid: boolean, describedBy: string | undefined) {
  return EditorView.contentAttributes.of({
    'aria-label': label,
    'data-testid': testId,
    // The content sits inside CodeMirror's scroller: an explicit tab stop makes that scroller keyboard-reachable.
    tabindex: '0',
    ...(invalid ? { 'aria-invalid': 'true' } : {}),
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  });
}

export function CodeEditor({
  value,
  onChange,
  language,
  label,
  readOnly = false,
  wrap = false,
  invalid = false,
  describedBy,
  extensions = [],
  ref,
  testId = 'code-editor',
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const readOnlySlot = useRef(new Compartment());
  const wrapSlot = useRef(new Compartment());
  const attributesSlot = useRef(new Compartment());
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is made once; later props are applied below.
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(highlightStyle),
          // Tab is left unbound so keyboard users can move past the editor.
          keymap.of([...defaultKeymap, ...historyKeymap]),
          languageSlot.current.of(languageExtension(language)),
          readOnlySlot.current.of(EditorState.readOnly.of(readOnly)),
          wrapSlot.current.of(wrap ? EditorView.lineWrapping : []),
          attributesSlot.current.of(contentAttributes(label, testId, invalid, describedBy)),
          theme,
          ...extensions,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latestOnChange.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  // Outside changes (take theirs, restore a revision, discard a draft) replace the document.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(languageExtension(language)) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlySlot.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: wrapSlot.current.reconfigure(wrap ? EditorView.lineWrapping : []) });
  }, [wrap]);

  useEffect(() => {
    view.current?.dispatch({
      effects: attributesSlot.current.reconfigure(contentAttributes(label, testId, invalid, describedBy)),
    });
  }, [label, testId, invalid, describedBy]);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => view.current?.focus(),
      focusAt(line, column = 1) {
        const editor = view.current;
        if (!editor) return;
        const { doc } = editor.state;
        const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
        const pos = Math.min(target.from + Math.max(column - 1, 0), target.to);
        editor.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
        editor.focus();
      },
    }),
    [],
  );

  return <div ref={host} className="code-editor" data-language={language} />;
}
