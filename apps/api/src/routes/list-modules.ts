import { modulesManifest } from '@squirrelbin/modules';
import { ModuleList } from '@squirrelbin/schemas';
import { defineRoute } from '../route.ts';

export const listModules = defineRoute(
  {
    name: 'modules.list',
    method: 'get',
    path: '/api/modules',
    summary: 'The npm packages acorns may import (bundled with SquirrelBin, never fetched at run time)',
    auth: 'none',
    access: {},
    responses: { 200: { description: 'Every importable package', schema: ModuleList } },
  },
  (c) => {
    // The set changes only with a new build of SquirrelBin: caches may keep it for a while.
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(modulesManifest() satisfies ModuleList);
  },
);
