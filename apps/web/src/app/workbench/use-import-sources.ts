/** What the editor may offer after `import … from '`: the bundled modules and the caller's own acorns. */
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ImportSources } from '../../components/code-editor';
import { listAcornsQueryOptions } from '../../features/acorns/api/list-acorns';
import { modulesQueryOptions } from '../../features/modules/api/list-modules';
import { useIdentity } from '../../lib/identity-store';

/** The caller's list is asked for again after this long, not on every keystroke in a specifier. */
const ownAcornsStaleMs = 60_000;

/** Both are asked only when the editor needs them; `exceptId` (the acorn being edited) is left out of the acorns. */
export function useImportSources(exceptId?: string): ImportSources {
  const queryClient = useQueryClient();
  const key = useIdentity()?.key ?? null;
  return useMemo(
    () => ({
      modules: async () => (await queryClient.fetchQuery(modulesQueryOptions())).items,
      acorns: async () => {
        if (key === null) return [];
        // The first page of "My acorns" (the same query as that page, so it is shared).
        const list = await queryClient.fetchInfiniteQuery({
          ...listAcornsQueryOptions({ mine: true }, key),
          staleTime: ownAcornsStaleMs,
        });
        return list.pages
          .flatMap((page) => page.items)
          .filter((acorn) => acorn.id !== exceptId)
          .map(({ id, title, version }) => ({ id, title, version }));
      },
    }),
    [queryClient, key, exceptId],
  );
}
