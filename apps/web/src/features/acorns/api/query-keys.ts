/** Query keys of the acorns feature, so a mutation in one file can invalidate the queries of another. */
export const acornKeys = {
  all: ['acorns'] as const,
  lists: () => [...acornKeys.all, 'list'] as const,
  list: (params: { q?: string; mine?: boolean; identity?: string | null }) => [...acornKeys.lists(), params] as const,
  detail: (id: string) => [...acornKeys.all, 'detail', id] as const,
  revisions: (id: string) => [...acornKeys.all, 'revisions', id] as const,
  revision: (id: string, version: number) => [...acornKeys.revisions(id), version] as const,
};
