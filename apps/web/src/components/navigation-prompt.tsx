import { useSyncExternalStore } from 'react';
import { getPendingPrompt, subscribePrompt } from '../lib/navigation-guard';
import { ConfirmDialog } from './confirm-dialog';

/** Asks whether to leave a page with unsaved work (see lib/navigation-guard.ts). */
export function NavigationPrompt() {
  const prompt = useSyncExternalStore(subscribePrompt, getPendingPrompt, () => null);
  if (!prompt) return null;
  return (
    <ConfirmDialog
      title="Leave with unsaved changes?"
      testId="leave-dialog"
      cancel={{ label: 'Stay on this page', onSelect: () => prompt.answer('stay'), testId: 'leave-stay' }}
      actions={[
        { label: 'Leave, keep the draft', onSelect: () => prompt.answer('leave'), testId: 'leave-keep' },
        ...(prompt.canDiscard
          ? [
              {
                label: 'Discard changes and leave',
                onSelect: () => prompt.answer('discard'),
                variant: 'danger' as const,
                testId: 'leave-discard',
              },
            ]
          : []),
      ]}
    >
      <p>{prompt.message}</p>
    </ConfirmDialog>
  );
}
