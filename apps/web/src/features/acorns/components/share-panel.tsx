import type { Acorn } from '@squirrelbin/schemas';
import { useId, useState } from 'react';
import { CopyButton } from '../../../components/copy-button';

/** The embed snippet: a read-only, runnable view of the acorn in an iframe. */
export function embedSnippet(acorn: Pick<Acorn, 'id' | 'title'>, origin: string): string {
  const title = acorn.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${origin}/embed/${acorn.id}" title="${title} — SquirrelBin" width="100%" height="480" loading="lazy" style="border:0"></iframe>`;
}

/** Link and embed snippet of a public or unlisted acorn (a private one has nothing to share). */
export function SharePanel({ acorn }: { acorn: Acorn }) {
  const id = useId();
  const [embedOpen, setEmbedOpen] = useState(false);
  const link = `${window.location.origin}/a/${acorn.id}`;
  const snippet = embedSnippet(acorn, window.location.origin);
  return (
    <section className="share card" aria-labelledby={`${id}-title`} data-testid="share-panel">
      <h2 id={`${id}-title`}>Share</h2>
      <div className="toolbar">
        <CopyButton text={link} label="Copy share link" testId="copy-link" />
        <button
          type="button"
          aria-expanded={embedOpen}
          aria-controls={`${id}-embed`}
          onClick={() => setEmbedOpen(!embedOpen)}
          data-testid="embed-toggle"
        >
          Embed…
        </button>
      </div>
      {embedOpen ? (
        <div id={`${id}-embed`} className="field">
          <label htmlFor={`${id}-snippet`}>Embed code (a read-only view that can run)</label>
          <textarea
            id={`${id}-snippet`}
            className="mono"
            rows={3}
            readOnly
            value={snippet}
            onFocus={(event) => event.currentTarget.select()}
            data-testid="embed-snippet"
          />
          <div>
            <CopyButton text={snippet} label="Copy embed code" testId="copy-embed" />
          </div>
        </div>
      ) : null}
    </section>
  );
}
