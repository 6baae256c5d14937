import type { Acorn, Visibility } from '@squirrelbin/schemas';
import { CopyButton } from '../../../components/copy-button';
import { endpointUrl } from '../endpoint-request';

/** Whether the stored acorn is served at `/x/{id}` right now. */
export const isServed = (acorn: Pick<Acorn, 'endpoint' | 'visibility'> | undefined) =>
  !!acorn?.endpoint && acorn.visibility !== 'private';

/**
 * Where the endpoint is served, or why it is not: a new acorn is not served until saved, and only public or
 * unlisted acorns are served at all.
 */
export function EndpointAddress({
  saved,
  draft,
  dirty,
}: {
  /** The stored acorn; undefined for a new one. */
  saved: Pick<Acorn, 'id' | 'endpoint' | 'visibility' | 'version'> | undefined;
  /** The switch and visibility as set in the editor. */
  draft: { endpoint: boolean; visibility: Visibility };
  dirty: boolean;
}) {
  const url = endpointUrl(window.location.origin, saved?.id);
  const served = isServed(saved);
  return (
    <div className="endpoint-address" data-testid="endpoint-address" data-served={served}>
      {served ? (
        <>
          <p className="endpoint-url-line">
            <span className="label">Live at</span>{' '}
            <a href={url} target="_blank" rel="noreferrer" className="mono endpoint-url" data-testid="endpoint-url">
              {url}
            </a>{' '}
            <CopyButton text={url} label="Copy URL" testId="copy-endpoint-url" />
          </p>
          <p className="muted small">
            Any method, and every path below it. Its answers run in a sandboxed page: they cannot read this site’s
            storage or cookies.
          </p>
        </>
      ) : null}
      {draft.visibility === 'private' ? (
        <p className="notice" data-testid="endpoint-private">
          {served
            ? 'Saving it as private stops serving it: only public or unlisted acorns are served.'
            : saved
              ? `Only public or unlisted acorns are served: while this one is private, ${url} answers 404. Make it unlisted to serve it without listing it on Explore.`
              : 'Only public or unlisted acorns are served: make it public, or unlisted to keep it off Explore, to serve it once saved.'}
        </p>
      ) : !saved ? (
        <p className="muted" data-testid="endpoint-unsaved">
          Save the acorn to serve it at <span className="mono">{window.location.origin}/x/…</span> (its id comes with
          the first save).
        </p>
      ) : !draft.endpoint && served ? (
        <p className="notice">Switched off here: save to stop serving it.</p>
      ) : dirty && served ? (
        <p className="muted small">The endpoint serves version {saved.version}: save to serve your changes.</p>
      ) : dirty ? (
        <p className="muted" data-testid="endpoint-not-yet">
          Save to start serving it at <span className="mono">{url}</span>.
        </p>
      ) : null}
    </div>
  );
}
