import { useEffect, useRef } from 'react';
import { registerBlocker } from './navigation-guard';

/** While `isBlocked()` is true, leaving the page (in-app or by unload) asks first. */
export function useNavigationBlocker(isBlocked: () => boolean, message: string, onDiscard?: () => void): void {
  const latest = useRef({ isBlocked, message, onDiscard });
  latest.current = { isBlocked, message, onDiscard };
  useEffect(
    () =>
      registerBlocker({
        isBlocked: () => latest.current.isBlocked(),
        get message() {
          return latest.current.message;
        },
        onDiscard: () => latest.current.onDiscard?.(),
      }),
    [],
  );
}
