/**
 * The acorn editor's endpoint tools, loaded only once the Endpoint switch is on: where it is served, the request
 * tester, and for its owner (or an admin) its recent calls and traffic. Lazy, so a shared link's first load does
 * not grow; the charts (uPlot) load later still, once there is traffic to draw.
 */
import type { Acorn, Language, RunHttpRequest } from '@squirrelbin/schemas';
import { lazy, Suspense, useId, useState } from 'react';
import { Loading } from '../../components/query-status';
import { type DraftFields, starterCode } from '../../features/acorns/draft';
import { metricsRanges } from '../../features/admin/api/get-metrics';
import { EndpointAddress, isServed } from '../../features/endpoints/components/endpoint-address';
import { EndpointTraffic } from '../../features/endpoints/components/endpoint-traffic';
import { InvocationList } from '../../features/endpoints/components/invocation-list';
import type { RunLogsView } from '../../features/endpoints/components/reply-view';
import { RequestTester } from '../../features/endpoints/components/request-tester';
import { endpointTemplates, isEndpointTemplate } from '../../features/endpoints/endpoint-template';
import { ErrorLocation, type LocatedRunError } from '../../features/runs/components/error-location';
import { LogLine } from '../../features/runs/components/log-line';

const EndpointCharts = lazy(() => import('../../features/admin/components/endpoint-charts'));

/** New calls show up in the list this often while the tab is visible. */
const invocationPollMs = 3_000;
const trafficRefreshMs = 30_000;

export interface EndpointPanelProps {
  /** The stored acorn; undefined for a new one. */
  saved: Acorn | undefined;
  draft: DraftFields;
  /** The editor has changes the stored acorn does not. */
  dirty: boolean;
  /** The owner or an admin: sees the calls and the traffic. */
  canSeeCalls: boolean;
  /** Told the tester's request as typed, for the editor's Run (null while it is not valid). */
  onTesterRequest?: (request: RunHttpRequest | null) => void;
}

export default function EndpointPanel({ saved, draft, dirty, canSeeCalls, onTesterRequest }: EndpointPanelProps) {
  const id = useId();
  const served = isServed(saved);
  const draftReason = !saved
    ? 'the acorn is not saved yet'
    : dirty
      ? 'it has unsaved changes'
      : saved.visibility === 'private'
        ? 'private acorns are not served'
        : 'it is not served';
  return (
    <section className="endpoint-panel card" aria-labelledby={`${id}-title`} data-testid="endpoint-panel">
      <h2 id={`${id}-title`}>Endpoint</h2>
      <EndpointAddress saved={saved} draft={draft} dirty={dirty} />
      <RequestTester
        acornId={saved?.id}
        target={served && !dirty ? { kind: 'live' } : { kind: 'draft', language: draft.language, code: draft.code }}
        draftReason={served && !dirty ? undefined : draftReason}
        canSeeInvocations={canSeeCalls}
        RunLogs={RunLogs}
        onRequestChange={onTesterRequest}
      />
      {saved && canSeeCalls ? (
        <>
          <section aria-labelledby={`${id}-calls`} className="endpoint-calls">
            <h3 id={`${id}-calls`}>Recent invocations</h3>
            <InvocationList acornId={saved.id} pollMs={served ? invocationPollMs : false} RunLogs={RunLogs} />
          </section>
          <section aria-labelledby={`${id}-traffic`} className="charts-section">
            <h3 id={`${id}-traffic`}>Traffic</h3>
            <EndpointTraffic
              acornId={saved.id}
              ranges={metricsRanges}
              initialRange="1h"
              refreshMs={served ? trafficRefreshMs : false}
              charts={(series) => (
                <Suspense fallback={<Loading label="Loading charts…" />}>
                  <EndpointCharts endpoint={series} />
                </Suspense>
              )}
            />
          </section>
        </>
      ) : null}
    </section>
  );
}

/**
 * Offered when the Endpoint switch goes on while the code is still the starter (or empty, or the template of the
 * other language): replaces it with a small handler in the acorn's language.
 */
export function EndpointTemplateOffer({
  code,
  language,
  onUse,
}: {
  code: string;
  language: Language;
  onUse: (code: string) => void;
}) {
  const [dismissed, setDismissed] = useState(false);
  const template = endpointTemplates[language];
  const replaceable = code.trim() === '' || code === starterCode || (isEndpointTemplate(code) && code !== template);
  if (dismissed || !replaceable) return null;
  return (
    <div className="notice" data-testid="endpoint-template-offer">
      <p>
        An endpoint’s default export gets each request (a <code>Request</code>) and returns a <code>Response</code>.
        Start from a small handler with two routes?
      </p>
      <div className="actions">
        <button type="button" onClick={() => onUse(template)} data-testid="use-endpoint-template">
          Use the endpoint template ({language === 'typescript' ? 'TypeScript' : 'JavaScript'})
        </button>
        <button type="button" onClick={() => setDismissed(true)}>
          Keep my code
        </button>
      </div>
    </div>
  );
}

/** A run's logs and error as the run output draws them (LogLine), for the tester's answers and recorded calls. */
const RunLogs: RunLogsView = ({ logs, truncated, error }) => (
  <>
    {truncated ? (
      <p className="notice" role="note">
        Some logs were dropped (the output limit).
      </p>
    ) : null}
    {logs.length === 0 ? (
      <p className="muted small" data-testid="endpoint-no-logs">
        No logs.
      </p>
    ) : (
      <ul className="logs" data-testid="endpoint-logs">
        {logs.map((entry, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: logs never reorder, so their position is a stable key.
          <LogLine key={index} entry={entry} />
        ))}
      </ul>
    )}
    {error ? (
      <div className="run-error" data-testid="endpoint-run-error">
        <p>
          <strong>{error.name}</strong>: {error.message}
          {error.line !== undefined || (error as LocatedRunError).source ? (
            <>
              {' ('}
              <ErrorLocation error={error as LocatedRunError} />)
            </>
          ) : null}
        </p>
        {error.stack ? (
          <details>
            <summary>Stack</summary>
            <pre className="stack">{error.stack}</pre>
          </details>
        ) : null}
      </div>
    ) : null}
  </>
);
