/**
 * Imports in the editor: completion of import specifiers (bundled modules, their subpaths, the caller's acorns) and
 * the ambient declarations the type checker needs for them. Loaded lazily by the code editor, for editable editors.
 */
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import type { Extension } from '@codemirror/state';
import type { ImportSources } from '../../components/code-editor';
import { completionTheme, panelTheme } from '../../components/editor-panel-theme';
import { type ImportCatalog, importSpecifierAt, specifierCandidates } from './import-specifier';
import { anyModuleDeclaration, moduleDeclarations } from './module-declarations';

async function catalog(sources: ImportSources, typed: string): Promise<ImportCatalog> {
  // The acorn list is asked for only when `acorn:` may be what is typed.
  const wantsAcorns = 'acorn:'.startsWith(typed.toLowerCase()) || typed.startsWith('acorn:');
  const [modules, acorns] = await Promise.all([
    typed.startsWith('acorn:') ? [] : sources.modules().catch(() => []),
    wantsAcorns ? sources.acorns().catch(() => []) : [],
  ]);
  return { modules, acorns };
}

/** Completes the specifier the cursor is in; null elsewhere, so other sources (TypeScript's) answer there. */
export function importSpecifierSource(sources: ImportSources): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const at = importSpecifierAt(context.state.doc.toString(), context.pos);
    if (!at) return null;
    const found = await catalog(sources, at.typed);
    if (context.aborted) return null;
    const options = specifierCandidates(at.typed, found).map(
      (candidate): Completion => ({
        label: candidate.label,
        detail: candidate.detail,
        ...(candidate.info ? { info: candidate.info } : {}),
        type: candidate.kind === 'acorn' ? 'variable' : 'namespace',
      }),
    );
    // Filtered and ranked here (acorns match by title too; prefix matches first): CodeMirror keeps the order, and
    // asks again on every keystroke.
    return { from: at.from, to: at.to, options, filter: false };
  };
}

/** Specifier completion for an editor without other completion (JavaScript). */
export function importCompletion(sources: ImportSources): Extension {
  return [autocompletion({ override: [importSpecifierSource(sources)], icons: true }), panelTheme, completionTheme];
}

/** The declarations for the type checker; every specifier passes when the list cannot be had. */
export function ambientModules(sources: ImportSources): Promise<string> {
  return sources.modules().then(moduleDeclarations, () => anyModuleDeclaration);
}
