import { useCallback, useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now, following changes. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (listener: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** The layout switches to one pane at a time below this width (see styles.css). */
export const narrowQuery = '(max-width: 900px)';
/** Touch-first devices: no keyboard hints. */
export const touchQuery = '(hover: none) and (pointer: coarse)';
