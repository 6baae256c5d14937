import type { ModuleList } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The npm packages acorns may import (`GET /api/modules`, no key). */
export function listModules(signal?: AbortSignal): Promise<ModuleList> {
  return api<ModuleList>('/api/modules', { key: null, signal });
}

export const moduleKeys = { list: ['modules'] as const };

export function modulesQueryOptions() {
  return queryOptions({
    queryKey: moduleKeys.list,
    queryFn: ({ signal }) => listModules(signal),
    // The set changes only with a new build of SquirrelBin: once per page is enough.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}

export function useModules() {
  return useQuery(modulesQueryOptions());
}
