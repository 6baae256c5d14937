/** `/embed/{id}`: a read-only, runnable view of an acorn for an <iframe> on another page. Minimal chrome. */
import { useEffect, useRef } from 'react';
import type { CodeEditorHandle } from '../../components/code-editor';
import { ErrorMessage, Loading } from '../../components/query-status';
import { useAcorn } from '../../features/acorns/api/get-acorn';
import { RunButton } from '../../features/runs/components/run-button';
import { RunWorkspace } from '../../features/runs/components/run-workspace';
import { useRunner } from '../../features/runs/hooks/use-runner';
import { isApiError } from '../../lib/api-client';
import { useShortcuts } from '../../lib/use-shortcuts';

export default function EmbedRoute({ id }: { id: string }) {
  const acorn = useAcorn(id);
  const runner = useRunner();
  const editor = useRef<CodeEditorHandle>(null);
  const run = () => runner.start((input) => ({ kind: 'acorn', id, input }));
  useShortcuts({ run });
  useEffect(() => {
    document.title = `${acorn.data?.title ?? 'Acorn'} · SquirrelBin`;
  }, [acorn.data?.title]);

  if (acorn.isPending) return <Loading label="Loading acorn…" />;
  if (acorn.isError) {
    return (
      <div className="embed" data-testid="embed-view">
        <h1 className="embed-title">SquirrelBin</h1>
        {isApiError(acorn.error, 404) ? (
          <p data-testid="acorn-not-found">This acorn does not exist, or it is private.</p>
        ) : (
          <ErrorMessage error={acorn.error} title="Could not load the acorn" onRetry={() => acorn.refetch()} />
        )}
      </div>
    );
  }
  const fullUrl = `${window.location.origin}/a/${id}`;
  return (
    <div className="embed" data-testid="embed-view">
      <div className="embed-head">
        <h1 className="embed-title truncate">{acorn.data.title}</h1>
        <RunButton onRun={run} running={runner.running} onStop={runner.stop} />
        <a href={fullUrl} target="_blank" rel="noopener" className="small">
          Open in SquirrelBin<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </div>
      <RunWorkspace runner={runner} code={acorn.data.code} language={acorn.data.language} readOnly editorRef={editor} />
    </div>
  );
}
