import { useMutation } from '@tanstack/react-query';
import type { StoredIdentity } from '../../../lib/identity-store';
import { getMe } from './get-me';

/** Asks the server who a key is (401 if it does not know it), before the key is stored. */
export async function verifyKey(key: string): Promise<StoredIdentity> {
  const me = await getMe(key);
  return { key, id: me.id };
}

export function useVerifyKey() {
  return useMutation({ mutationFn: verifyKey });
}
