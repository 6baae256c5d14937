/**
 * A TypeScript language service over an in-memory file system: the editors' files, the ES2024 libs, the acorn
 * globals and the declarations of the modules an acorn may import. It runs in the type-check worker
 * (typescript.worker.ts); it is a plain module so tests can drive it.
 */
import ts from 'typescript';
import { acornGlobals, acornGlobalsFileName } from './acorn-globals';
import { libFiles, rootLib } from './lib-files';
import type { TsCompletionDetails, TsCompletions, TsDiagnostic, TsQuickInfo } from './protocol';

const libDirectory = '/lib/';

/**
 * How an acorn is checked. Every file is a module (`moduleDetection: force`): a script acorn may `await` at the top
 * level, and its top-level names never clash with the globals. `isolatedModules` because the server transforms
 * each acorn alone; `strict`, as a new TypeScript project is.
 */
export const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2024,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: [rootLib],
  types: [],
  strict: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: false,
};

const categories: Record<ts.DiagnosticCategory, TsDiagnostic['severity']> = {
  [ts.DiagnosticCategory.Error]: 'error',
  [ts.DiagnosticCategory.Warning]: 'warning',
  [ts.DiagnosticCategory.Suggestion]: 'hint',
  [ts.DiagnosticCategory.Message]: 'info',
};

export interface AcornLanguageService {
  diagnostics(file: string, text: string): TsDiagnostic[];
  quickInfo(file: string, text: string, pos: number): TsQuickInfo | null;
  completions(file: string, text: string, pos: number, triggerCharacter?: '.'): TsCompletions | null;
  completionDetails(
    file: string,
    text: string,
    pos: number,
    name: string,
    source?: string,
    data?: unknown,
  ): TsCompletionDetails | null;
  /** Replaces the ambient module declarations (`declare module 'zod';`…); `acorn:*` is declared until then. */
  declareModules(text: string): void;
  close(file: string): void;
}

const modulesFileName = '/acorn-modules.d.ts';

export function createAcornLanguageService(): AcornLanguageService {
  const files = new Map<string, { text: string; version: number }>();
  // Acorns are importable from the start; the bundled modules are declared once the editor has their list.
  let modules = { text: "declare module 'acorn:*';\n", version: 1 };
  // Lib and globals snapshots never change: made once, shared by every program the service builds.
  const fixed = new Map<string, ts.IScriptSnapshot>();
  const fixedText = (name: string): string | undefined => {
    if (name === acornGlobalsFileName) return acornGlobals;
    return name.startsWith(libDirectory) ? libFiles.get(name.slice(libDirectory.length)) : undefined;
  };
  const readFile = (name: string) =>
    name === modulesFileName ? modules.text : (files.get(name)?.text ?? fixedText(name));

  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => compilerOptions,
    getScriptFileNames: () => [acornGlobalsFileName, modulesFileName, ...files.keys()],
    getScriptVersion: (name) => String(name === modulesFileName ? modules.version : (files.get(name)?.version ?? 0)),
    getScriptSnapshot(name) {
      const file = name === modulesFileName ? modules : files.get(name);
      if (file) return ts.ScriptSnapshot.fromString(file.text);
      let snapshot = fixed.get(name);
      if (!snapshot) {
        const text = fixedText(name);
        if (text === undefined) return undefined;
        snapshot = ts.ScriptSnapshot.fromString(text);
        fixed.set(name, snapshot);
      }
      return snapshot;
    },
    getCurrentDirectory: () => '/',
    getDefaultLibFileName: () => `${libDirectory}${rootLib}`,
    fileExists: (name) => readFile(name) !== undefined,
    readFile,
    directoryExists: (name) => name === '/' || name === '/lib',
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => true,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());

  const update = (file: string, text: string) => {
    const current = files.get(file);
    if (!current) files.set(file, { text, version: 1 });
    else if (current.text !== text) files.set(file, { text, version: current.version + 1 });
  };

  return {
    diagnostics(file, text) {
      update(file, text);
      const found = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)];
      return found.map((diagnostic) => {
        const from = diagnostic.start ?? 0;
        return {
          from,
          to: from + (diagnostic.length ?? 0),
          severity: categories[diagnostic.category],
          message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
          code: diagnostic.code,
        };
      });
    },

    quickInfo(file, text, pos) {
      update(file, text);
      const info = service.getQuickInfoAtPosition(file, pos);
      if (!info) return null;
      return {
        from: info.textSpan.start,
        to: info.textSpan.start + info.textSpan.length,
        display: ts.displayPartsToString(info.displayParts),
        documentation: ts.displayPartsToString(info.documentation),
        tags: (info.tags ?? []).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim()),
      };
    },

    completions(file, text, pos, triggerCharacter) {
      update(file, text);
      const result = service.getCompletionsAtPosition(file, pos, {
        triggerCharacter,
        includeCompletionsWithInsertText: true,
        includeCompletionsForModuleExports: false,
      });
      if (!result) return null;
      return {
        isMemberCompletion: result.isMemberCompletion,
        entries: result.entries.map((entry) => ({
          name: entry.name,
          kind: entry.kind,
          sortText: entry.sortText,
          ...(entry.insertText !== undefined ? { insertText: entry.insertText } : {}),
          ...(entry.replacementSpan
            ? {
                replacement: {
                  from: entry.replacementSpan.start,
                  to: entry.replacementSpan.start + entry.replacementSpan.length,
                },
              }
            : {}),
          ...(entry.source !== undefined ? { source: entry.source } : {}),
          ...(entry.data !== undefined ? { data: entry.data } : {}),
        })),
      };
    },

    completionDetails(file, text, pos, name, source, data) {
      update(file, text);
      const details = service.getCompletionEntryDetails(
        file,
        pos,
        name,
        {},
        source,
        {},
        data as ts.CompletionEntryData | undefined,
      );
      if (!details) return null;
      return {
        display: ts.displayPartsToString(details.displayParts),
        documentation: ts.displayPartsToString(details.documentation),
      };
    },

    declareModules(text) {
      if (text !== modules.text) modules = { text, version: modules.version + 1 };
    },

    close(file) {
      files.delete(file);
    },
  };
}
