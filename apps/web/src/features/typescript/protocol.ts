/**
 * Messages between the editor and the type-check worker. Every request names the editor's file and carries its
 * whole text (an acorn is at most 64 KiB), so the worker never holds a stale copy and needs no edit protocol.
 * Positions are offsets into that text (UTF-16 code units, as both CodeMirror and TypeScript count).
 */

export interface TsDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** TypeScript's error code (2322…). */
  code: number;
}

export interface TsQuickInfo {
  from: number;
  to: number;
  /** The signature or type, e.g. `const x: number`. */
  display: string;
  documentation: string;
  /** JSDoc tags, as `@param name text`. */
  tags: string[];
}

export interface TsCompletionEntry {
  name: string;
  /** TypeScript's ScriptElementKind (`const`, `method`, `property`, `keyword`…). */
  kind: string;
  sortText: string;
  insertText?: string;
  /** Where the insertion goes when it is not the word before the cursor. */
  replacement?: { from: number; to: number };
  /** Passed back for the entry's details. */
  source?: string;
  data?: unknown;
}

export interface TsCompletions {
  entries: TsCompletionEntry[];
  /** Completions of a member (after a dot). */
  isMemberCompletion: boolean;
}

export interface TsCompletionDetails {
  display: string;
  documentation: string;
}

interface FileRequest {
  /** A name for the editor's file, e.g. `/acorn-1.ts`. */
  file: string;
  text: string;
}

export interface TsRequests {
  diagnostics: FileRequest;
  quickInfo: FileRequest & { pos: number };
  completions: FileRequest & { pos: number; triggerCharacter?: '.' };
  completionDetails: FileRequest & { pos: number; name: string; source?: string; data?: unknown };
  /** Replaces the ambient declarations of the importable modules (for every file). */
  declareModules: { text: string };
  close: { file: string };
}

export interface TsResponses {
  diagnostics: TsDiagnostic[];
  quickInfo: TsQuickInfo | null;
  completions: TsCompletions | null;
  completionDetails: TsCompletionDetails | null;
  declareModules: null;
  close: null;
}

export type TsRequestType = keyof TsRequests;

export type TsRequestMessage = {
  [K in TsRequestType]: { id: number; type: K; args: TsRequests[K] };
}[TsRequestType];

export type TsResponseMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
