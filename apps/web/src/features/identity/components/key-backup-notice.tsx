import { useId } from 'react';
import { Link } from 'wouter';
import { CopyButton } from '../../../components/copy-button';
import { markKeyBackedUp, useIdentity } from '../../../lib/identity-store';
import { downloadKey } from '../key-file';

/**
 * After the first save made a key in this browser: offer to back it up, since it exists nowhere else.
 * Shown until the key is copied or downloaded, or the user says not now.
 */
export function KeyBackupNotice() {
  const identity = useIdentity();
  const id = useId();
  if (identity?.backedUp !== false) return null;
  return (
    <section className="notice key-backup" aria-labelledby={`${id}-title`} data-testid="key-backup">
      <h2 id={`${id}-title`}>Back up your key</h2>
      <p>
        Your first save made an identity key. It is kept only in this browser: whoever has it can edit your acorns, and
        without a copy you lose them if this browser's data is cleared. It stays in{' '}
        <Link href="/settings">Settings</Link>.
      </p>
      <div className="actions">
        <CopyButton text={identity.key} label="Copy key" testId="backup-copy" onCopied={markKeyBackedUp} />
        <button
          type="button"
          onClick={() => {
            downloadKey(identity.key);
            markKeyBackedUp();
          }}
          data-testid="backup-download"
        >
          Download key file
        </button>
        <button type="button" onClick={markKeyBackedUp} data-testid="backup-dismiss">
          Not now
        </button>
      </div>
    </section>
  );
}
