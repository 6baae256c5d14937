/**
 * CodeMirror 6 with JavaScript/TypeScript highlighting, search (Ctrl/Cmd+F) and Tab indentation (Escape, then Tab,
 * leaves the editor). An editable TypeScript editor also gets type checking, hovers and completion from a worker
 * that starts only then; an editable editor given `imports` completes import specifiers. Heavy: only routes loaded
 * lazily import it; search, the TypeScript tooling and import completion are imported by it lazily in turn, so they
 * are not part of what must load before the code shows.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascriptLanguage, typescriptLanguage } from '@codemirror/lang-javascript';
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  LanguageSupport,
  syntaxHighlighting,
} from '@codemirror/language';
import { Compartment, EditorState, type Extension, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { Language, ModuleItem } from '@squirrelbin/schemas';
import { type Ref, useEffect, useId, useImperativeHandle, useRef } from 'react';

export interface CodeEditorHandle {
  /** Moves the cursor to a 1-based line (and column) and focuses the editor. */
  focusAt(line: number, column?: number): void;
  focus(): void;
}

/** An acorn that may be imported as `acorn:{id}`. */
export interface ImportableAcorn {
  id: string;
  title: string;
  version: number;
}

/** What an acorn may import, for completion and type checking; each is asked only when the editor needs it. */
export interface ImportSources {
  /** `GET /api/modules` (cached for the page). */
  modules(): Promise<readonly ModuleItem[]>;
  /** The caller's acorns; none without a key. */
  acorns(): Promise<readonly ImportableAcorn[]>;
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
  /** What an acorn may import: completes import specifiers, and declares the modules to the type checker. */
  imports?: ImportSources;
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

/** How long after Escape a Tab moves focus out of the editor instead of indenting (any other key cancels it). */
const escapeWindowMs = 10_000;
const escaped = new WeakSet<EditorView>();

/**
 * Tab indents (CodeMirror's `indentWithTab`), so the editor would trap keyboard users: Escape, when nothing else
 * wanted it (an open completion, the search panel, a selection to collapse), makes the next Tab (or Shift+Tab) move
 * focus instead. Leaving the editor or clicking in it ends that.
 */
const escapeThenTabLeaves: Extension = [
  Prec.low(
    keymap.of([
      {
        key: 'Escape',
        run: (view) => {
          view.setTabFocusMode(escapeWindowMs);
          escaped.add(view);
          return true;
        },
      },
    ]),
  ),
  EditorView.domEventObservers({
    blur: (_event, view) => endEscape(view),
    mousedown: (_event, view) => endEscape(view),
  }),
];

function endEscape(view: EditorView) {
  if (!escaped.has(view)) return;
  escaped.delete(view);
  view.setTabFocusMode(false);
}

/**
 * The grammar alone, not `javascript()`: that adds snippet and keyword completion data, which nothing here shows
 * (only the TypeScript tooling and import completion complete, both loaded lazily) and which would pull CodeMirror's
 * completion UI into what must load before the code shows.
 */
const languageExtension = (language: Language) =>
  new LanguageSupport(language === 'typescript' ? typescriptLanguage : javascriptLanguage);

const loadSearch = () => import('./editor-search');
const searching = new WeakSet<EditorView>();

/** Turns search on in an editor (once), when its module has loaded. */
async function enableSearch(view: EditorView, slot: Compartment) {
  const module = await loadSearch();
  // The editor may have gone while the module loaded.
  if (view.dom.isConnected && !searching.has(view)) {
    searching.add(view);
    view.dispatch({ effects: slot.reconfigure(module.searchExtension()) });
  }
  return module;
}

/** Until search has loaded, Ctrl/Cmd+F loads it and opens it. */
const searchStub = (slot: Compartment) =>
  keymap.of([
    {
      key: 'Mod-f',
      preventDefault: true,
      run: (view) => {
        void enableSearch(view, slot).then((module) => {
          if (view.dom.isConnected) module.openSearchPanel(view);
        });
        return true;
      },
    },
  ]);

/** Runs when the browser is idle (soon, at the latest), so what the page needs first goes first. */
function whenIdle(callback: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: 1_000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(callback, 200);
  return () => clearTimeout(handle);
}

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
  imports,
  ref,
  testId = 'code-editor',
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const readOnlySlot = useRef(new Compartment());
  const wrapSlot = useRef(new Compartment());
  const attributesSlot = useRef(new Compartment());
  const toolingSlot = useRef(new Compartment());
  const searchSlot = useRef(new Compartment());
  const keysHint = `${useId()}-keys`;
  const described = [keysHint, describedBy].filter(Boolean).join(' ');
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;
  const latestImports = useRef(imports);
  latestImports.current = imports;
  const hasImports = imports !== undefined;

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
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          searchSlot.current.of(searchStub(searchSlot.current)),
          escapeThenTabLeaves,
          languageSlot.current.of(languageExtension(language)),
          toolingSlot.current.of([]),
          readOnlySlot.current.of(EditorState.readOnly.of(readOnly)),
          wrapSlot.current.of(wrap ? EditorView.lineWrapping : []),
          attributesSlot.current.of(contentAttributes(label, testId, invalid, described)),
          theme,
          ...extensions,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latestOnChange.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    const cancelSearch = whenIdle(() => void enableSearch(editor, searchSlot.current));
    return () => {
      cancelSearch();
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

  // Type checking, hovers and completion for TypeScript that can be edited, import completion for either language:
  // their modules (and, from the TypeScript tooling, the worker with the compiler) load only then. A read-only view
  // never starts them.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const typescript = language === 'typescript';
    if (readOnly || (!typescript && !hasImports)) {
      editor.dispatch({ effects: toolingSlot.current.reconfigure([]) });
      return;
    }
    // Always the latest sources, so the tooling is made once per language.
    const sources: ImportSources = {
      modules: () => latestImports.current?.modules() ?? Promise.resolve([]),
      acorns: () => latestImports.current?.acorns() ?? Promise.resolve([]),
    };
    let cancelled = false;
    const apply = (tooling: Extension) => {
      if (!cancelled && view.current === editor) editor.dispatch({ effects: toolingSlot.current.reconfigure(tooling) });
    };
    // The tooling is a help: without it the editor still edits, runs and saves.
    const warn = (error: unknown) => console.warn('Editor tooling could not load:', error);
    const loadImports = () => (hasImports ? import('../features/modules/import-tooling') : Promise.resolve(null));
    let cancelIdle = () => {};
    if (typescript) {
      Promise.all([import('../features/typescript/editor-tooling'), loadImports()])
        .then(([{ typescriptTooling }, imports]) =>
          apply(
            typescriptTooling(
              imports
                ? {
                    ambientModules: () => imports.ambientModules(sources),
                    completeFirst: imports.importSpecifierSource(sources),
                  }
                : {},
            ),
          ),
        )
        .catch(warn);
    } else {
      // Only completion of specifiers: what the page shows first goes first.
      editor.dispatch({ effects: toolingSlot.current.reconfigure([]) });
      cancelIdle = whenIdle(
        () =>
          void loadImports()
            .then((imports) => imports && apply(imports.importCompletion(sources)))
            .catch(warn),
      );
    }
    return () => {
      cancelled = true;
      cancelIdle();
    };
  }, [language, readOnly, hasImports]);

  useEffect(() => {
    view.current?.dispatch({ effects: wrapSlot.current.reconfigure(wrap ? EditorView.lineWrapping : []) });
  }, [wrap]);

  useEffect(() => {
    view.current?.dispatch({
      effects: attributesSlot.current.reconfigure(contentAttributes(label, testId, invalid, described)),
    });
  }, [label, testId, invalid, described]);

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

  return (
    <>
      <div ref={host} className="code-editor" data-language={language} />
      <span id={keysHint} className="visually-hidden">
        {readOnly
          ? 'Ctrl or Command+F searches.'
          : 'Tab indents. To leave the editor, press Escape, then Tab. Ctrl or Command+F searches.'}
      </span>
    </>
  );
}
