import type { AcornList } from '@squirrelbin/schemas';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { acornKeys } from './query-keys';

export interface ListAcornsParams {
  q?: string;
  mine?: boolean;
  limit?: number;
}

export function listAcorns(params: ListAcornsParams & { cursor?: string }, signal?: AbortSignal): Promise<AcornList> {
  const query = queryString({
    limit: params.limit ?? 20,
    q: params.q?.trim(),
    mine: params.mine ? 'true' : undefined,
    cursor: params.cursor,
  });
  return api<AcornList>(`/api/acorns${query}`, { signal });
}

export function listAcornsQueryOptions(params: ListAcornsParams, identity: string | null) {
  return infiniteQueryOptions({
    // The caller's key changes what `mine` means, so it is part of the key.
    queryKey: acornKeys.list({ q: params.q?.trim() ?? '', mine: params.mine ?? false, identity }),
    queryFn: ({ pageParam, signal }) => listAcorns({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !params.mine || identity !== null,
  });
}

export function useListAcorns(params: ListAcornsParams) {
  const identity = useIdentity();
  return useInfiniteQuery(listAcornsQueryOptions(params, identity?.key ?? null));
}
