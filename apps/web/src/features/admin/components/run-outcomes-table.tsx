import type { EndpointSeries, RunOutcomes } from '@squirrelbin/schemas';

export const outcomeNames = [
  'ok',
  'error',
  'timeout',
  'memory',
  'killed',
  'rejected',
  'cancelled',
] as const satisfies readonly (keyof RunOutcomes)[];

const outcomeHelp: Record<keyof RunOutcomes, string> = {
  ok: 'finished',
  error: 'the code threw',
  timeout: 'passed its deadline',
  memory: 'hit its memory limit',
  killed: 'its worker died',
  rejected: 'not run: queue full or rate limited',
  cancelled: 'stopped: the caller left or pressed Stop',
};

/** How the runs behind each run endpoint ended, over the chosen range. */
export function RunOutcomesTable({ endpoints }: { endpoints: EndpointSeries[] }) {
  const runEndpoints = endpoints.filter((endpoint) => endpoint.totals.outcomes);
  if (runEndpoints.length === 0) {
    return (
      <p className="muted" data-testid="outcomes-empty">
        No runs in this range.
      </p>
    );
  }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on narrow screens; keyboard users must reach it.
    <section className="table-wrap" tabIndex={0} aria-label="Run outcomes (scrolls sideways)">
      <table className="metrics-table" data-testid="outcomes-table">
        <caption className="visually-hidden">Run outcomes per run endpoint</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            {outcomeNames.map((name) => (
              <th key={name} scope="col" className="num" title={outcomeHelp[name]}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runEndpoints.map((endpoint) => (
            <tr key={endpoint.endpoint} data-testid="outcomes-row" data-endpoint={endpoint.endpoint}>
              <th scope="row" className="mono">
                {endpoint.endpoint}
              </th>
              {outcomeNames.map((name) => (
                <td key={name} className={`num outcome-${name}`} data-outcome={name}>
                  {endpoint.totals.outcomes![name]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{outcomeNames.map((name) => `${name}: ${outcomeHelp[name]}`).join(' · ')}.</p>
    </section>
  );
}
