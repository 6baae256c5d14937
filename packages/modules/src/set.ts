// The curated packages acorns may import: the one list the build, the manifest and the loader follow.

export interface ModuleSetEntry {
  /** The npm package, as named in this workspace's package.json dependencies. */
  name: string;
  /** One line for `GET /api/modules`. */
  description: string;
  /** Subpath specifiers bundled as their own small artifacts (e.g. `dayjs/plugin/utc`). */
  subpaths?: string[];
  /** Specifiers that load this package's main artifact unchanged (e.g. `zod/v4` is `zod` in zod 4). */
  aliases?: string[];
  /**
   * `<name>/<export>` resolves to the main artifact's named export `<export>` (`date-fns/addDays`,
   * `lodash-es/chunk`): one artifact, no per-function bundles.
   */
  exportSubpaths?: boolean;
}

const dayjsPlugins = ['utc', 'timezone', 'relativeTime', 'duration', 'customParseFormat'];

export const moduleSet: ModuleSetEntry[] = [
  { name: 'zod', description: 'TypeScript-first schema declaration and validation', aliases: ['zod/v4'] },
  { name: 'lodash-es', description: 'Lodash utility functions as ES modules', exportSubpaths: true },
  { name: 'date-fns', description: 'Modern date utility functions', exportSubpaths: true },
  {
    name: 'dayjs',
    description: 'Tiny Moment.js-compatible date library',
    subpaths: dayjsPlugins.map((plugin) => `dayjs/plugin/${plugin}`),
  },
  { name: 'uuid', description: 'RFC 9562 UUIDs (v1, v3–v7) with validate and parse' },
  { name: 'nanoid', description: 'Tiny, secure, URL-friendly unique string ids' },
  { name: 'ramda', description: 'Practical functional programming library' },
  { name: 'immer', description: 'Immutable state by mutating a draft' },
  { name: 'yaml', description: 'YAML parser and stringifier' },
  { name: 'marked', description: 'Markdown to HTML compiler' },
  { name: 'papaparse', description: 'CSV parser and unparser' },
  { name: 'valibot', description: 'Modular schema validation' },
  { name: 'decimal.js', description: 'Arbitrary-precision decimal arithmetic' },
  { name: 'change-case', description: 'Convert strings between camelCase, snake_case, kebab-case and more' },
  { name: 'ms', description: 'Convert between time strings and milliseconds' },
  { name: 'fast-deep-equal', description: 'Fast deep equality check' },
];
