import { IdentityKey } from '@squirrelbin/schemas';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyButton } from '../../../components/copy-button';
import { describeError } from '../../../components/query-status';
import { isApiError } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format-date';
import { markKeyBackedUp, setIdentity, useIdentity } from '../../../lib/identity-store';
import { meQueryOptions } from '../api/get-me';
import { useVerifyKey } from '../api/verify-key';
import { downloadKey } from '../key-file';

/** Export (show, copy) and import (paste, check with the server) of this browser's identity key. */
export function IdentitySettings() {
  const identity = useIdentity();
  const queryClient = useQueryClient();
  const verify = useVerifyKey();
  const [revealed, setRevealed] = useState(false);
  const [pasted, setPasted] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  const [imported, setImported] = useState(false);
  const [confirmForget, setConfirmForget] = useState(false);
  const pasteInput = useRef<HTMLInputElement>(null);
  const me = useQuery(meQueryOptions(identity?.key ?? null));
  const id = useId();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setImported(false);
    const key = pasted.trim();
    if (!IdentityKey.safeParse(key).success) {
      setFormatError('That does not look like a SquirrelBin key (it starts with sqb_).');
      pasteInput.current?.focus();
      return;
    }
    setFormatError(null);
    verify.mutate(key, {
      onError: () => pasteInput.current?.focus(),
      onSuccess: (verified) => {
        setIdentity(verified);
        setPasted('');
        setImported(true);
        // Every answer that depended on the old key is now wrong.
        void queryClient.resetQueries();
      },
    });
  };

  const importError =
    formatError ??
    (verify.isError
      ? isApiError(verify.error, 401)
        ? 'This server does not know that key.'
        : describeError(verify.error)
      : null);

  return (
    <div className="settings">
      <section aria-labelledby={`${id}-export`} className="card">
        <h2 id={`${id}-export`}>Your key</h2>
        {identity ? (
          <>
            <p>
              This key is your identity here: whoever has it can edit and delete your acorns. Copy it to use your acorns
              in another browser.
            </p>
            <div className="field">
              <label htmlFor={`${id}-key`}>Identity key</label>
              <div className="inline">
                <input
                  id={`${id}-key`}
                  className="mono"
                  type={revealed ? 'text' : 'password'}
                  readOnly
                  value={identity.key}
                  data-testid="identity-key"
                />
                <button type="button" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
                  {revealed ? 'Hide' : 'Show'}
                </button>
                <CopyButton text={identity.key} label="Copy key" testId="copy-key" onCopied={markKeyBackedUp} />
                <button
                  type="button"
                  onClick={() => {
                    downloadKey(identity.key);
                    markKeyBackedUp();
                  }}
                  data-testid="download-key"
                >
                  Download
                </button>
              </div>
            </div>
            <p className={identity.backedUp === false ? 'notice small' : 'muted small'} data-testid="backup-status">
              {identity.backedUp === false
                ? 'This key was made in this browser and is not backed up yet: copy or download it.'
                : 'Keep a copy of this key somewhere safe.'}
            </p>
            {me.data ? (
              <dl className="identity-facts small" data-testid="identity-facts">
                <dt>Identity</dt>
                <dd className="mono">{me.data.id}</dd>
                <dt>Made</dt>
                <dd>{formatDateTime(me.data.createdAt, { zone: true })}</dd>
                {me.data.admin ? (
                  <>
                    <dt>Role</dt>
                    <dd>Admin</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
            {me.isError ? (
              <p className="field-error" role="alert">
                {isApiError(me.error, 401) ? 'This server does not know this key.' : describeError(me.error)}
              </p>
            ) : null}
            <button type="button" onClick={() => setConfirmForget(true)}>
              Forget this key…
            </button>
            {confirmForget ? (
              <ConfirmDialog
                title="Forget this key?"
                testId="forget-dialog"
                cancel={{ label: 'Keep it', onSelect: () => setConfirmForget(false) }}
                actions={[
                  {
                    label: 'Forget it',
                    variant: 'danger',
                    onSelect: () => {
                      setConfirmForget(false);
                      setIdentity(null);
                      void queryClient.resetQueries();
                    },
                  },
                ]}
              >
                <p>Without a copy of it you lose access to your acorns.</p>
              </ConfirmDialog>
            ) : null}
          </>
        ) : (
          <p data-testid="no-identity">
            This browser has no identity yet. One is made the first time you save an acorn, or import one below.
          </p>
        )}
      </section>
      <section aria-labelledby={`${id}-import`} className="card">
        <h2 id={`${id}-import`}>Import a key</h2>
        <p>Paste a key exported from another browser. {identity ? 'It replaces the key above.' : ''}</p>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-paste`}>Key to import</label>
            <input
              ref={pasteInput}
              id={`${id}-paste`}
              className="mono"
              value={pasted}
              autoComplete="off"
              spellCheck={false}
              placeholder="sqb_…"
              onChange={(event) => setPasted(event.target.value)}
              aria-invalid={importError ? true : undefined}
              aria-describedby={importError ? `${id}-paste-error` : undefined}
              data-testid="import-key"
            />
            {importError ? (
              <p id={`${id}-paste-error`} className="field-error" role="alert">
                {importError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="primary" disabled={verify.isPending} data-testid="import-submit">
            {verify.isPending ? 'Checking…' : 'Import key'}
          </button>
          {imported ? (
            <p role="status" className="success" data-testid="import-done">
              Key imported. This browser now uses it.
            </p>
          ) : null}
        </form>
      </section>
    </div>
  );
}
