/** Query keys of the endpoints feature, so sending a request can refresh an acorn's invocations and traffic. */
export const endpointKeys = {
  all: ['endpoints'] as const,
  /** Every invocation list of one acorn, whatever the key. */
  invocationsOf: (acornId: string) => [...endpointKeys.all, 'invocations', acornId] as const,
  invocations: (acornId: string, key: string | null) => [...endpointKeys.invocationsOf(acornId), key] as const,
  /** Every traffic query of one acorn, whatever the range and key. */
  metricsOf: (acornId: string) => [...endpointKeys.all, 'metrics', acornId] as const,
  metrics: (acornId: string, range: string, key: string | null) =>
    [...endpointKeys.metricsOf(acornId), range, key] as const,
};
