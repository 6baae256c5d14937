import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { acornKeys } from './query-keys';

export function deleteAcorn(id: string): Promise<void> {
  return api<void>(`/api/acorns/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteAcorn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAcorn,
    onSuccess: (_nothing, id) => {
      queryClient.removeQueries({ queryKey: acornKeys.detail(id) });
      queryClient.removeQueries({ queryKey: acornKeys.revisions(id) });
      return queryClient.invalidateQueries({ queryKey: acornKeys.lists() });
    },
  });
}
