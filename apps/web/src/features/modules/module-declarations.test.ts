import { describe, expect, it } from 'vitest';
import { acornModulesDeclaration, moduleDeclarations } from './module-declarations';

describe('moduleDeclarations', () => {
  it('declares each module, its listed subpaths and its export subpaths, and every acorn', () => {
    const text = moduleDeclarations([{ name: 'zod' }, { name: 'date-fns' }, { name: 'dayjs' }, { name: 'ms' }]);
    expect(text.trim().split('\n')).toEqual([
      acornModulesDeclaration,
      'declare module "zod";',
      'declare module "zod/v4";',
      'declare module "date-fns";',
      'declare module "date-fns/*";',
      'declare module "dayjs";',
      'declare module "dayjs/plugin/utc";',
      'declare module "dayjs/plugin/timezone";',
      'declare module "dayjs/plugin/relativeTime";',
      'declare module "dayjs/plugin/duration";',
      'declare module "dayjs/plugin/customParseFormat";',
      'declare module "ms";',
    ]);
    expect(acornModulesDeclaration).toBe('declare module "acorn:*";');
  });
});
