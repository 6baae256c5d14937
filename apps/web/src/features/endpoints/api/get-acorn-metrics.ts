import type { MetricsResponse, MetricsStep } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { endpointKeys } from './query-keys';

/** An endpoint acorn's traffic: the admin metrics' shape, with the one series `acorn:{id}` (owner or admin). */
export function getAcornMetrics(
  acornId: string,
  params: { from: Date; to: Date; step: MetricsStep },
  signal?: AbortSignal,
): Promise<MetricsResponse> {
  const query = queryString({ from: params.from.toISOString(), to: params.to.toISOString(), step: params.step });
  return api<MetricsResponse>(`/api/acorns/${encodeURIComponent(acornId)}/metrics${query}`, { signal });
}

export interface TrafficRange {
  /** Names the range in the query key. */
  name: string;
  ms: number;
  step: MetricsStep;
}

/** The window ends now at each fetch, so a refresh slides it forward. */
export function acornMetricsQueryOptions(acornId: string, range: TrafficRange, key: string | null) {
  return queryOptions({
    queryKey: endpointKeys.metrics(acornId, range.name, key),
    queryFn: ({ signal }) => {
      const to = new Date();
      return getAcornMetrics(acornId, { from: new Date(to.getTime() - range.ms), to, step: range.step }, signal);
    },
    enabled: key !== null,
    placeholderData: (previous) => previous,
  });
}

export function useAcornMetrics(acornId: string, range: TrafficRange, refreshMs: number | false) {
  const identity = useIdentity();
  return useQuery({
    ...acornMetricsQueryOptions(acornId, range, identity?.key ?? null),
    refetchInterval: refreshMs,
  });
}
