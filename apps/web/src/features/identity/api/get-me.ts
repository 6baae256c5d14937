import type { IdentityMe } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { learnIdentityId, useIdentity } from '../../../lib/identity-store';

/** Who a key is (`GET /api/identities/me`); 401 when the server does not know it. */
export async function getMe(key: string, signal?: AbortSignal): Promise<IdentityMe> {
  return api<IdentityMe>('/api/identities/me', { key, signal });
}

export const identityKeys = {
  me: (key: string | null) => ['identity', 'me', key] as const,
};

export function meQueryOptions(key: string | null) {
  return queryOptions({
    queryKey: identityKeys.me(key),
    queryFn: async ({ signal }) => {
      const me = await getMe(key!, signal);
      learnIdentityId(me.id);
      return me;
    },
    enabled: key !== null,
    // A key's identity and admin flag do not change while the page is open.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}

export interface Viewer {
  /** The stored key, or null when this browser has none. */
  key: string | null;
  /** The identity behind the key: from the server, or remembered from an earlier answer. */
  id: string | null;
  admin: boolean;
  /** A key is stored and the server has not answered yet. */
  pending: boolean;
  /** The server's answer failed (401: it does not know this key). */
  error: unknown;
}

/** Who is using this browser, as the server sees the stored key. */
export function useViewer(): Viewer {
  const identity = useIdentity();
  const key = identity?.key ?? null;
  const me = useQuery(meQueryOptions(key));
  return {
    key,
    id: me.data?.id ?? (me.isError ? null : (identity?.id ?? null)),
    admin: me.data?.admin ?? false,
    pending: key !== null && me.isPending,
    error: me.error,
  };
}
