/**
 * Sends a request to the endpoint and shows the answer. With the acorn saved and nothing changed, Send calls the
 * real `/x/{id}` (recorded, counted); otherwise it runs the editor's draft as the handler (not recorded), and says so.
 */
import type { RunHttpRequest } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { useIdentity } from '../../../lib/identity-store';
import { listedInvocationIds, useInvocations } from '../api/list-invocations';
import { type EndpointTarget, useSendEndpointRequest } from '../api/send-endpoint-request';
import type { EndpointReply } from '../endpoint-reply';
import {
  endpointUrl,
  handlerRequest,
  methodHasBody,
  parseHeaderLines,
  pathBelowEndpoint,
  resolveEndpointPath,
  testerMethods,
} from '../endpoint-request';
import { ReplyView, type RunLogsView } from './reply-view';

export interface RequestTesterProps {
  /** The saved acorn; undefined for a new one. */
  acornId: string | undefined;
  /** Where Send goes: the served endpoint, or the code in the editor. */
  target: EndpointTarget;
  /** Why Send runs the draft (shown with the draft label). */
  draftReason?: string;
  /** The owner (or an admin) sees a live call's logs, from its invocation record. */
  canSeeInvocations: boolean;
  RunLogs: RunLogsView;
  /** Told the request as typed whenever it changes (null while it is not valid), e.g. for the editor's Run. */
  onRequestChange?: (request: RunHttpRequest | null) => void;
}

type FieldError = { field: 'path' | 'headers'; message: string };

export function RequestTester({
  acornId,
  target,
  draftReason,
  canSeeInvocations,
  RunLogs,
  onRequestChange,
}: RequestTesterProps) {
  const id = useId();
  const queryClient = useQueryClient();
  const identity = useIdentity();
  const send = useSendEndpointRequest();
  const [method, setMethod] = useState<string>('GET');
  const [path, setPath] = useState('/');
  const [headersText, setHeadersText] = useState('');
  const [body, setBody] = useState('');
  const [fieldError, setFieldError] = useState<FieldError | null>(null);
  const pathInput = useRef<HTMLInputElement>(null);
  const headersInput = useRef<HTMLTextAreaElement>(null);
  const base = endpointUrl(window.location.origin, acornId);
  const live = target.kind === 'live';
  const withBody = methodHasBody(method);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (send.isPending) return;
    const url = resolveEndpointPath(base, path);
    if (!url.ok) {
      setFieldError({ field: 'path', message: url.message });
      pathInput.current?.focus();
      return;
    }
    const headers = parseHeaderLines(headersText);
    if (!headers.ok) {
      setFieldError({ field: 'headers', message: headers.message });
      headersInput.current?.focus();
      return;
    }
    setFieldError(null);
    send.mutate({
      target,
      acornId,
      method,
      url: url.value,
      headers: headers.value,
      body,
      knownInvocations:
        live && acornId && canSeeInvocations
          ? listedInvocationIds(queryClient, acornId, identity?.key ?? null)
          : undefined,
    });
  };

  useEffect(() => {
    if (!onRequestChange) return;
    const url = resolveEndpointPath(base, path);
    const headers = parseHeaderLines(headersText);
    onRequestChange(url.ok && headers.ok ? handlerRequest(method, url.value, headers.value, body) : null);
  }, [onRequestChange, base, method, path, headersText, body]);
  useEffect(() => () => onRequestChange?.(null), [onRequestChange]);

  const errorFor = (field: FieldError['field']) => (fieldError?.field === field ? fieldError.message : undefined);

  return (
    <section className="request-tester" aria-labelledby={`${id}-title`} data-testid="request-tester">
      <h3 id={`${id}-title`}>Request tester</h3>
      <form onSubmit={submit} noValidate>
        <div className="tester-line">
          <div className="field">
            <label htmlFor={`${id}-method`}>Method</label>
            <select
              id={`${id}-method`}
              value={method}
              onChange={(event) => setMethod(event.target.value)}
              data-testid="tester-method"
            >
              {testerMethods.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field tester-path">
            <label htmlFor={`${id}-path`}>
              Path and query <span className="muted">below {new URL(base).pathname}</span>
            </label>
            <input
              ref={pathInput}
              id={`${id}-path`}
              className="mono"
              value={path}
              spellCheck={false}
              autoCapitalize="off"
              placeholder="/users/7?x=1"
              onChange={(event) => setPath(event.target.value)}
              aria-invalid={errorFor('path') ? true : undefined}
              aria-describedby={errorFor('path') ? `${id}-path-error` : undefined}
              data-testid="tester-path"
            />
            {errorFor('path') ? (
              <p id={`${id}-path-error`} className="field-error">
                {errorFor('path')}
              </p>
            ) : null}
          </div>
          <button type="submit" className="primary" disabled={send.isPending} data-testid="tester-send">
            {send.isPending ? 'Sending…' : 'Send'}
          </button>
        </div>
        <p className={live ? 'tester-mode small' : 'tester-mode small draft'} data-testid="tester-mode">
          {live ? (
            <>
              <strong>Live:</strong> calls the saved endpoint; the call is recorded with its logs and counted in the
              traffic.
            </>
          ) : (
            <>
              <strong>Draft — not recorded:</strong> runs the code in the editor as the handler
              {draftReason ? ` (${draftReason})` : ''}.
            </>
          )}
        </p>
        <div className="tester-extras">
          <div className="field">
            <label htmlFor={`${id}-headers`}>Headers</label>
            <textarea
              ref={headersInput}
              id={`${id}-headers`}
              className="mono"
              rows={3}
              value={headersText}
              spellCheck={false}
              placeholder="Content-Type: application/json"
              onChange={(event) => setHeadersText(event.target.value)}
              aria-invalid={errorFor('headers') ? true : undefined}
              aria-describedby={`${id}-headers-help${errorFor('headers') ? ` ${id}-headers-error` : ''}`}
              data-testid="tester-headers-input"
            />
            <p id={`${id}-headers-help`} className="muted small">
              One “Name: value” per line. Your key is never sent; the browser drops a few headers (Cookie, Host).
            </p>
            {errorFor('headers') ? (
              <p id={`${id}-headers-error`} className="field-error">
                {errorFor('headers')}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-body`}>Body</label>
            <textarea
              id={`${id}-body`}
              className="mono"
              rows={3}
              value={body}
              spellCheck={false}
              disabled={!withBody}
              placeholder={withBody ? '{"hello": "world"}' : ''}
              onChange={(event) => setBody(event.target.value)}
              aria-describedby={withBody ? undefined : `${id}-body-help`}
              data-testid="tester-body-input"
            />
            {withBody ? null : (
              <p id={`${id}-body-help`} className="muted small">
                {method} requests have no body.
              </p>
            )}
          </div>
        </div>
      </form>
      <div className="tester-output" aria-live="polite" aria-busy={send.isPending}>
        {send.isPending ? <Loading label={live ? 'Calling the endpoint…' : 'Running the draft…'} /> : null}
        {send.isError ? (
          <ErrorMessage
            error={send.error}
            title={send.variables?.target.kind === 'live' ? 'The call failed' : 'The draft could not run'}
            testId="tester-error"
          />
        ) : null}
        {send.data && !send.isPending ? (
          <ReplyView
            reply={send.data}
            RunLogs={RunLogs}
            logs={
              !send.data.runStatus ? (
                <p className="muted small">No run answered this request, so it has no logs and was not recorded.</p>
              ) : acornId && canSeeInvocations ? (
                <LiveCallLogs key={send.submittedAt} acornId={acornId} reply={send.data} RunLogs={RunLogs} />
              ) : (
                <p className="muted small">The logs of live calls are shown to the acorn's owner.</p>
              )
            }
          />
        ) : null}
      </div>
    </section>
  );
}

/** How long to keep asking for a live call's invocation record (it is written just after the answer). */
const waitForRecordMs = 15_000;

/** The logs of a live call, from its invocation record once it is listed. */
function LiveCallLogs({ acornId, reply, RunLogs }: { acornId: string; reply: EndpointReply; RunLogs: RunLogsView }) {
  // Asks every second until the record shows up (the list's own polling is slower), for a while.
  const [pollMs, setPollMs] = useState<number | false>(1_000);
  const invocations = useInvocations(acornId, { pollMs });
  const { path, query } = pathBelowEndpoint(reply.url);
  const found = invocations.data?.pages[0]?.items.find(
    (item) =>
      !reply.knownInvocations.has(item.id) &&
      item.method === reply.method &&
      item.path === path &&
      item.query === query,
  );
  useEffect(() => {
    if (found) setPollMs(false);
  }, [found]);
  useEffect(() => {
    const timer = setTimeout(() => setPollMs(false), waitForRecordMs);
    return () => clearTimeout(timer);
  }, []);
  if (found) return <RunLogs logs={found.logs} truncated={found.logsTruncated} error={found.error ?? null} />;
  return pollMs !== false ? (
    <Loading label="Waiting for the call's record…" />
  ) : (
    <p className="muted small">This call's record has not shown up yet; see Recent invocations.</p>
  );
}
