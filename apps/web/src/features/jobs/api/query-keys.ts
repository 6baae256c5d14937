/** Query keys of the jobs feature; every key ends with the identity key, since jobs are per caller. */
export const jobKeys = {
  all: ['jobs'] as const,
  /** Every job list of one acorn, whatever the key. */
  listsOf: (acornId: string) => [...jobKeys.all, 'list', acornId] as const,
  list: (acornId: string, key: string | null) => [...jobKeys.listsOf(acornId), key] as const,
  /** One job, whatever the key. */
  detailOf: (jobId: string) => [...jobKeys.all, 'detail', jobId] as const,
  detail: (jobId: string, key: string | null) => [...jobKeys.detailOf(jobId), key] as const,
  /** Every results page of one job. */
  resultsOf: (jobId: string) => [...jobKeys.all, 'results', jobId] as const,
  results: (jobId: string, cursor: string | null, limit: number, key: string | null) =>
    [...jobKeys.resultsOf(jobId), cursor, limit, key] as const,
};
