/**
 * Where an import's specifier is typed, and what may be typed there: the bundled modules (and their subpaths) and
 * the caller's own acorns as `acorn:{id}`. Plain functions over the text, so the editor tooling and tests share them.
 */
import type { ModuleItem } from '@squirrelbin/schemas';
import type { ImportableAcorn } from '../../components/code-editor';
import { moduleSubpaths } from './module-subpaths';

/** The string of an import specifier around the cursor. */
export interface SpecifierAt {
  /** Offset of the first character inside the quotes. */
  from: number;
  /** Offset of the closing quote, or the cursor when the string is not closed yet. */
  to: number;
  /** What is typed between the opening quote and the cursor. */
  typed: string;
}

/** Text that puts a string right after it in the specifier position: `from`, `import`, `import(`. */
const beforeSpecifier = /(?:^|[^.\w$])(?:from|import|import\s*\(\s*)\s*$/;

/**
 * The specifier string the cursor is in: `import … from '|'`, `import '|'`, `export … from '|'` or `import('|')`;
 * null anywhere else (another string, a comment, code). Reads the cursor's line for strings and comments, and up to
 * a few lines before the string for the keyword (a multi-line `import {…} from`).
 */
export function importSpecifierAt(text: string, pos: number): SpecifierAt | null {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  let quote: string | null = null;
  let opened = -1;
  for (let index = lineStart; index < pos; index++) {
    const char = text[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '/' && text[index + 1] === '/') return null;
    if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      if (end === -1 || end + 2 > pos) return null;
      index = end + 1;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      quote = char;
      opened = index;
    }
  }
  // Template literals are not specifiers (a static import needs a plain string; a dynamic one is not worth guessing).
  if (!quote || quote === '`') return null;
  if (!beforeSpecifier.test(text.slice(Math.max(0, opened - 200), opened))) return null;
  const lineEnd = text.indexOf('\n', pos);
  const rest = text.slice(pos, lineEnd === -1 ? text.length : lineEnd);
  const close = rest.indexOf(quote);
  return { from: opened + 1, to: close === -1 ? pos : pos + close, typed: text.slice(opened + 1, pos) };
}

export interface ImportCatalog {
  modules: readonly Pick<ModuleItem, 'name' | 'version' | 'description'>[];
  acorns: readonly ImportableAcorn[];
}

export interface SpecifierCandidate {
  /** The whole specifier, as it goes between the quotes. */
  label: string;
  detail: string;
  info?: string;
  kind: 'module' | 'subpath' | 'acorn';
}

export const acornPrefix = 'acorn:';

/** The newest versions offered after `acorn:{id}@`. */
const pinnedVersionsShown = 10;

/**
 * What may complete `typed` (the specifier up to the cursor), best first: names that start with it, then names
 * that contain it. A package's subpaths show once `<name>/` is typed; the caller's acorns once `acorn:` (or the
 * start of it) is, matched by id or title, and their versions after `acorn:{id}@`.
 */
export function specifierCandidates(typed: string, catalog: ImportCatalog): SpecifierCandidate[] {
  if (typed.startsWith(acornPrefix)) return acornCandidates(typed.slice(acornPrefix.length), catalog.acorns);
  const slash = typed.indexOf('/');
  if (slash !== -1) {
    const name = typed.slice(0, slash);
    const module = catalog.modules.find((item) => item.name === name);
    const listed = module ? (moduleSubpaths[name]?.listed ?? []) : [];
    return listed
      .filter((subpath) => subpath.startsWith(typed))
      .map((subpath) => ({ label: subpath, detail: module!.version, info: `Part of ${name}`, kind: 'subpath' }));
  }
  const needle = typed.toLowerCase();
  const modules = ranked(catalog.modules, (item) => rank(item.name.toLowerCase(), needle)).map(
    (item): SpecifierCandidate => ({ label: item.name, detail: item.version, info: item.description, kind: 'module' }),
  );
  // `acorn:` itself, or a start of it, also offers the caller's acorns (after the modules).
  const acorns = acornPrefix.startsWith(needle) ? acornCandidates('', catalog.acorns) : [];
  return [...modules, ...acorns];
}

function acornCandidates(typed: string, acorns: readonly ImportableAcorn[]): SpecifierCandidate[] {
  const at = typed.indexOf('@');
  if (at !== -1) {
    const acorn = acorns.find((item) => item.id === typed.slice(0, at));
    if (!acorn) return [];
    const newest = Math.min(acorn.version, pinnedVersionsShown);
    return Array.from({ length: newest }, (_, i) => acorn.version - i)
      .map(
        (version): SpecifierCandidate => ({
          label: `${acornPrefix}${acorn.id}@${version}`,
          detail: version === acorn.version ? 'current version' : `version ${version}`,
          info: acorn.title || 'Untitled',
          kind: 'acorn',
        }),
      )
      .filter((candidate) => candidate.label.startsWith(`${acornPrefix}${typed}`));
  }
  const needle = typed.toLowerCase();
  return ranked(acorns, (acorn) =>
    Math.min(rank(acorn.id.toLowerCase(), needle), rank(acorn.title.toLowerCase(), needle) + 1),
  ).map((acorn) => ({
    label: `${acornPrefix}${acorn.id}`,
    detail: acorn.title || 'Untitled',
    info: `Your acorn, version ${acorn.version} (pin it with @${acorn.version})`,
    kind: 'acorn',
  }));
}

/** 0: starts with the needle; 1: contains it; Infinity: neither. */
function rank(value: string, needle: string): number {
  if (value.startsWith(needle)) return 0;
  return value.includes(needle) ? 1 : Number.POSITIVE_INFINITY;
}

/** The items that match, by rank, the list's own order kept within a rank. */
function ranked<T>(items: readonly T[], rankOf: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, rank: rankOf(item) }))
    .filter((entry) => Number.isFinite(entry.rank))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.item);
}
