import type { Acorn, ForkAcornBody } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ensureIdentity } from '../../../lib/ensure-identity';
import { learnIdentityId } from '../../../lib/identity-store';
import { acornKeys } from './query-keys';

export function forkAcorn(id: string, body?: ForkAcornBody): Promise<Acorn> {
  return ensureIdentity().then(async (key) => {
    const fork = await api<Acorn>(`/api/acorns/${encodeURIComponent(id)}/fork`, { method: 'POST', body, key });
    learnIdentityId(fork.ownerId);
    return fork;
  });
}

export function useForkAcorn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body?: ForkAcornBody }) => forkAcorn(id, body),
    onSuccess: (fork) => {
      queryClient.setQueryData(acornKeys.detail(fork.id), fork);
      return queryClient.invalidateQueries({ queryKey: acornKeys.lists() });
    },
  });
}
