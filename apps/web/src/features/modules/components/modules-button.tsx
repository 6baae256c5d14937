/** "Modules" beside the editor: opens the reference of what an acorn may import (loaded on first use). */
import { lazy, Suspense, useState } from 'react';

const ModulesDialog = lazy(() => import('./modules-dialog'));

export function ModulesButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="link-button small"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        data-testid="modules-open"
      >
        Modules
      </button>
      {open ? (
        <Suspense fallback={null}>
          <ModulesDialog onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
