import type { AcornList } from '@squirrelbin/schemas';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface VerifiedKey {
  key: string;
  /** Known when the key owns at least one acorn. */
  id: string | null;
}

/** Asks the server whether it knows a key (401 if not), by listing that key's own acorns. */
export async function verifyKey(key: string): Promise<VerifiedKey> {
  const page = await api<AcornList>('/api/acorns?mine=true&limit=1', { key });
  return { key, id: page.items[0]?.ownerId ?? null };
}

export function useVerifyKey() {
  return useMutation({ mutationFn: verifyKey });
}
