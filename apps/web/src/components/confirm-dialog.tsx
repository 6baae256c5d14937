/**
 * A modal question: it traps focus, starts on the safe choice, closes on Escape (as the safe choice) and gives
 * focus back to whatever had it before. Built on <dialog>, which makes the rest of the page inert.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';

export interface DialogAction {
  label: string;
  onSelect: () => void;
  variant?: 'primary' | 'danger';
  testId?: string;
}

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  /** The safe choice: focused first, and what Escape does. */
  cancel: DialogAction;
  actions: DialogAction[];
  testId?: string;
  busy?: boolean;
}

const focusableSelector = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex="0"]';

export function ConfirmDialog({ title, children, cancel, actions, testId, busy = false }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const latestCancel = useRef(cancel.onSelect);
  latestCancel.current = cancel.onSelect;
  const id = useId();

  useEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    else element.setAttribute('open', '');
    safe.current?.focus();
    return () => {
      if (element.open && typeof element.close === 'function') element.close();
      // Give focus back where it was, if that element is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const items = [...dialog.current!.querySelectorAll<HTMLElement>(focusableSelector)];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items.at(-1)!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={children ? `${id}-body` : undefined}
      data-testid={testId}
      onKeyDown={onKeyDown}
      // Escape: the browser fires `cancel`; answer with the safe choice and let React unmount the dialog.
      onCancel={(event) => {
        event.preventDefault();
        latestCancel.current();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children ? <div id={`${id}-body`}>{children}</div> : null}
      <div className="actions">
        <button ref={safe} type="button" onClick={cancel.onSelect} data-testid={cancel.testId}>
          {cancel.label}
        </button>
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className={action.variant}
            onClick={action.onSelect}
            disabled={busy}
            data-testid={action.testId}
          >
            {action.label}
          </button>
        ))}
      </div>
    </dialog>
  );
}
