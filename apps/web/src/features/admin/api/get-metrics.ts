import type { MetricsResponse, MetricsStep } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';

export const metricsRanges = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000, step: '1m' },
  '1h': { label: 'Last hour', ms: 60 * 60_000, step: '1m' },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000, step: '5m' },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000, step: '1h' },
} as const satisfies Record<string, { label: string; ms: number; step: MetricsStep }>;

export type MetricsRange = keyof typeof metricsRanges;

export const adminKeys = {
  all: ['admin'] as const,
  metrics: (range: MetricsRange, key: string | null) => [...adminKeys.all, 'metrics', range, key] as const,
};

export function getMetrics(
  params: { from: Date; to: Date; step: MetricsStep },
  signal?: AbortSignal,
): Promise<MetricsResponse> {
  const query = queryString({ from: params.from.toISOString(), to: params.to.toISOString(), step: params.step });
  return api<MetricsResponse>(`/api/admin/metrics${query}`, { signal });
}

/** The window ends now at each fetch, so auto-refresh slides it forward. */
export function metricsQueryOptions(range: MetricsRange, key: string | null, refreshMs: number | false) {
  return queryOptions({
    queryKey: adminKeys.metrics(range, key),
    queryFn: ({ signal }) => {
      const { ms, step } = metricsRanges[range];
      const to = new Date();
      return getMetrics({ from: new Date(to.getTime() - ms), to, step }, signal);
    },
    enabled: key !== null,
    refetchInterval: refreshMs,
    placeholderData: (previous) => previous,
  });
}

export function useMetrics(range: MetricsRange, refreshMs: number | false) {
  const identity = useIdentity();
  return useQuery(metricsQueryOptions(range, identity?.key ?? null, refreshMs));
}
