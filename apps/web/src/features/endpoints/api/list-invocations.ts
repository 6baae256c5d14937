import type { InvocationList } from '@squirrelbin/schemas';
import { infiniteQueryOptions, type QueryClient, useInfiniteQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { endpointKeys } from './query-keys';

/** An endpoint acorn's recent calls, newest first (owner or admin). */
export function listInvocations(acornId: string, cursor?: string, signal?: AbortSignal): Promise<InvocationList> {
  return api<InvocationList>(
    `/api/acorns/${encodeURIComponent(acornId)}/invocations${queryString({ limit: 20, cursor })}`,
    { signal },
  );
}

export function listInvocationsQueryOptions(acornId: string, key: string | null) {
  return infiniteQueryOptions({
    queryKey: endpointKeys.invocations(acornId, key),
    queryFn: ({ pageParam, signal }) => listInvocations(acornId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: key !== null,
    staleTime: 0,
  });
}

/**
 * Polls while `pollMs` is set; react-query skips the polls while the tab is hidden. A poll refetches every page
 * loaded so far, so the newest calls arrive at the top and "Load more" pages stay in place.
 */
export function useInvocations(acornId: string, { pollMs = false }: { pollMs?: number | false } = {}) {
  const identity = useIdentity();
  return useInfiniteQuery({
    ...listInvocationsQueryOptions(acornId, identity?.key ?? null),
    refetchInterval: pollMs,
  });
}

/** The invocations listed now (every loaded page), so the one a live call adds can be told apart. */
export function listedInvocationIds(queryClient: QueryClient, acornId: string, key: string | null): Set<string> {
  const data = queryClient.getQueryData(listInvocationsQueryOptions(acornId, key).queryKey);
  return new Set(data?.pages.flatMap((page) => page.items.map((item) => item.id)) ?? []);
}
