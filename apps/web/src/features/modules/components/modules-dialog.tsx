/** The modules reference over the editor, as a modal dialog: Escape or Close returns to where focus was. */
import { useEffect, useId, useRef } from 'react';
import { ModulesReference } from './modules-reference';

export default function ModulesDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    else element.setAttribute('open', '');
    close.current?.focus();
    return () => {
      if (element.open && typeof element.close === 'function') element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog modules-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="modules-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="modules-dialog-head">
        <h2 id={`${id}-title`}>Modules you can import</h2>
        <button ref={close} type="button" onClick={onClose} data-testid="modules-dialog-close">
          Close
        </button>
      </div>
      <ModulesReference headingLevel={3} />
    </dialog>
  );
}
