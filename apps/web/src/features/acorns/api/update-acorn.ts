import type { Acorn, UpdateAcornBody } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { acornKeys } from './query-keys';

export interface UpdateAcornInput {
  id: string;
  /** The version the changes were made on; a newer stored version answers 412. */
  version: number;
  changes: UpdateAcornBody;
}

export function updateAcorn({ id, version, changes }: UpdateAcornInput): Promise<Acorn> {
  return api<Acorn>(`/api/acorns/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: changes,
    headers: { 'If-Match': `"${version}"` },
  });
}

export function useUpdateAcorn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAcorn,
    onSuccess: (acorn) => {
      queryClient.setQueryData(acornKeys.detail(acorn.id), acorn);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: acornKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: acornKeys.revisions(acorn.id) }),
      ]);
    },
  });
}
