/**
 * Subpaths the sandbox resolves beyond a package's name. `GET /api/modules` lists packages only, so the editor keeps
 * this short table (mirroring packages/modules/src/set.ts): `listed` subpaths are offered as completions, and a
 * package with `anyExport` takes any of its exports as a subpath (`date-fns/addDays`).
 */
export interface ModuleSubpaths {
  listed?: string[];
  anyExport?: { example: string };
}

const dayjsPlugins = ['utc', 'timezone', 'relativeTime', 'duration', 'customParseFormat'];

export const moduleSubpaths: Readonly<Record<string, ModuleSubpaths>> = {
  zod: { listed: ['zod/v4'] },
  dayjs: { listed: dayjsPlugins.map((plugin) => `dayjs/plugin/${plugin}`) },
  'date-fns': { anyExport: { example: 'date-fns/addDays' } },
  'lodash-es': { anyExport: { example: 'lodash-es/chunk' } },
};
