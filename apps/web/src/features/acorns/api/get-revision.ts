import type { Revision } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { acornKeys } from './query-keys';

export function getRevision(id: string, version: number, signal?: AbortSignal): Promise<Revision> {
  return api<Revision>(`/api/acorns/${encodeURIComponent(id)}/revisions/${version}`, { signal });
}

export function getRevisionQueryOptions(id: string, version: number) {
  return queryOptions({
    queryKey: acornKeys.revision(id, version),
    queryFn: ({ signal }) => getRevision(id, version, signal),
    // A revision never changes once written.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useRevision(id: string, version: number | null) {
  return useQuery({ ...getRevisionQueryOptions(id, version ?? 0), enabled: version !== null });
}
