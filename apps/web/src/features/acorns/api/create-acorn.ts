import type { Acorn, CreateAcornBody } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ensureIdentity } from '../../../lib/ensure-identity';
import { learnIdentityId } from '../../../lib/identity-store';
import { acornKeys } from './query-keys';

/** Creates an acorn, making an identity first when this browser has none. */
export async function createAcorn(body: CreateAcornBody): Promise<Acorn> {
  const key = await ensureIdentity();
  const acorn = await api<Acorn>('/api/acorns', { method: 'POST', body, key });
  learnIdentityId(acorn.ownerId);
  return acorn;
}

export function useCreateAcorn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAcorn,
    onSuccess: (acorn) => {
      queryClient.setQueryData(acornKeys.detail(acorn.id), acorn);
      return queryClient.invalidateQueries({ queryKey: acornKeys.lists() });
    },
  });
}
