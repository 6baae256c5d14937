import type { Acorn } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { acornKeys } from './query-keys';

export function getAcorn(id: string, signal?: AbortSignal): Promise<Acorn> {
  return api<Acorn>(`/api/acorns/${encodeURIComponent(id)}`, { signal });
}

export function getAcornQueryOptions(id: string) {
  return queryOptions({
    queryKey: acornKeys.detail(id),
    queryFn: ({ signal }) => getAcorn(id, signal),
    // The editor keeps its own draft; refetching under it would only confuse who has which version.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useAcorn(id: string) {
  return useQuery(getAcornQueryOptions(id));
}
