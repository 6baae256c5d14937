import { describe, expect, it } from 'vitest';
import { type ImportCatalog, importSpecifierAt, specifierCandidates } from './import-specifier';

/** The text with `|` marking the cursor, and the cursor's offset. */
function at(marked: string) {
  const pos = marked.indexOf('|');
  return importSpecifierAt(marked.replace('|', ''), pos);
}

describe('importSpecifierAt', () => {
  it.each([
    ["import { z } from '|';", ''],
    ["import { z } from 'zo|';", 'zo'],
    ['import { z } from "zo|"', 'zo'],
    ["import '|", ''],
    ["import 'date-fns/add|'", 'date-fns/add'],
    ["export { chunk } from 'lodash-es/|'", 'lodash-es/'],
    ["export * from 'acorn:|'", 'acorn:'],
    ["import type { Z } from 'zod|'", 'zod'],
    ["const { default: ms } = await import('m|');", 'm'],
    ["const mod = await import ( 'day|' )", 'day'],
    ["import {\n  a,\n  b,\n} from 'ramda|'", 'ramda'],
    ["import x from 'yaml|", 'yaml'],
    ["/* note */ import x from 'ya|'", 'ya'],
  ])('finds the specifier in %j', (text, typed) => {
    expect(at(text)?.typed).toBe(typed);
  });

  it('spans the whole string, so a completion replaces what is after the cursor too', () => {
    const text = "import { z } from 'zo|d';\nconst x = 1;";
    const found = at(text)!;
    const plain = text.replace('|', '');
    expect(plain.slice(found.from, found.to)).toBe('zod');
    // Not closed yet: only what is typed is replaced, never the rest of the line.
    const open = "import { z } from 'zo| + 1";
    const unclosed = at(open)!;
    expect([unclosed.from, unclosed.to]).toEqual([19, 21]);
  });

  it.each([
    ["import { z| } from 'zod';"],
    ["import { z } from| 'zod';"],
    ["import { z } from 'zod'|;"],
    ["import { z } from 'zod';|"],
    ["const s = 'zo|';"],
    ["console.log('import from |')"],
    ["foo.import('x|')"],
    ["obj.from 'x|'"],
    ["// import x from 'zo|'"],
    ["/* import x from 'zo| */"],
    ["const t = `import x from '|`"],
    ['import(`zo|`)'],
    ["import { z } from 'zod'; const s = 'x|'"],
    ["const s = 'it\\'s', from = 'x|'"],
  ])('finds nothing in %j', (text) => {
    expect(at(text)).toBeNull();
  });
});

const catalog: ImportCatalog = {
  modules: [
    { name: 'zod', version: '4.1.12', description: 'Schemas' },
    { name: 'lodash-es', version: '4.17.21', description: 'Lodash' },
    { name: 'date-fns', version: '4.1.0', description: 'Dates' },
    { name: 'dayjs', version: '1.11.19', description: 'Tiny dates' },
    { name: 'ms', version: '2.1.3', description: 'Milliseconds' },
    { name: 'fast-deep-equal', version: '3.1.3', description: 'Equality' },
  ],
  acorns: [
    { id: 'Ab3dE', title: 'Greeter', version: 3 },
    { id: 'x9Yz0', title: 'Shared helpers', version: 1 },
  ],
};

const labels = (typed: string) => specifierCandidates(typed, catalog).map((candidate) => candidate.label);

describe('specifierCandidates', () => {
  it('offers every module (with version and description), then the caller’s acorns, when nothing is typed', () => {
    const all = specifierCandidates('', catalog);
    expect(all.map((candidate) => candidate.label)).toEqual([
      'zod',
      'lodash-es',
      'date-fns',
      'dayjs',
      'ms',
      'fast-deep-equal',
      'acorn:Ab3dE',
      'acorn:x9Yz0',
    ]);
    expect(all[0]).toEqual({ label: 'zod', detail: '4.1.12', info: 'Schemas', kind: 'module' });
    expect(all[6]).toMatchObject({ label: 'acorn:Ab3dE', detail: 'Greeter', kind: 'acorn' });
  });

  it('matches partial names: those that start with what is typed first, then those that contain it', () => {
    expect(labels('da')).toEqual(['date-fns', 'dayjs', 'lodash-es']);
    expect(labels('d')).toEqual(['date-fns', 'dayjs', 'zod', 'lodash-es', 'fast-deep-equal']);
    expect(labels('FNS')).toEqual(['date-fns']);
    expect(labels('nope')).toEqual([]);
  });

  it('offers the listed subpaths once a package and a slash are typed', () => {
    expect(labels('dayjs/')).toEqual([
      'dayjs/plugin/utc',
      'dayjs/plugin/timezone',
      'dayjs/plugin/relativeTime',
      'dayjs/plugin/duration',
      'dayjs/plugin/customParseFormat',
    ]);
    expect(labels('dayjs/plugin/d')).toEqual(['dayjs/plugin/duration']);
    expect(labels('zod/')).toEqual(['zod/v4']);
    expect(specifierCandidates('zod/', catalog)[0]).toMatchObject({ detail: '4.1.12', kind: 'subpath' });
    // Any export is a subpath of these: nothing to list.
    expect(labels('date-fns/add')).toEqual([]);
    expect(labels('ms/')).toEqual([]);
    expect(labels('unknown/')).toEqual([]);
  });

  it('offers the caller’s acorns after `acorn:` (or a start of it), by id or title', () => {
    expect(labels('ac')).toEqual(['acorn:Ab3dE', 'acorn:x9Yz0']);
    expect(labels('acorn:')).toEqual(['acorn:Ab3dE', 'acorn:x9Yz0']);
    expect(labels('acorn:ab')).toEqual(['acorn:Ab3dE']);
    expect(labels('acorn:help')).toEqual(['acorn:x9Yz0']);
    expect(labels('acorn:zzz')).toEqual([]);
    // Modules that match come first.
    expect(labels('a')).toEqual(['lodash-es', 'date-fns', 'dayjs', 'fast-deep-equal', 'acorn:Ab3dE', 'acorn:x9Yz0']);
  });

  it('offers pinned versions after `acorn:{id}@`, newest first', () => {
    const pinned = specifierCandidates('acorn:Ab3dE@', catalog);
    expect(pinned.map((candidate) => candidate.label)).toEqual(['acorn:Ab3dE@3', 'acorn:Ab3dE@2', 'acorn:Ab3dE@1']);
    expect(pinned.map((candidate) => candidate.detail)).toEqual(['current version', 'version 2', 'version 1']);
    expect(labels('acorn:Ab3dE@2')).toEqual(['acorn:Ab3dE@2']);
    expect(labels('acorn:unknown@')).toEqual([]);
  });

  it('offers no acorns when the caller has none', () => {
    expect(specifierCandidates('acorn:', { ...catalog, acorns: [] })).toEqual([]);
    expect(specifierCandidates('', { ...catalog, acorns: [] }).every((c) => c.kind === 'module')).toBe(true);
  });
});
