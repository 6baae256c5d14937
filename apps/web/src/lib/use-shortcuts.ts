import { useEffect, useRef } from 'react';

export interface Shortcuts {
  /** Ctrl/Cmd+S */
  save?: () => void;
  /** Ctrl/Cmd+Enter */
  run?: () => void;
}

/**
 * Page-wide editor shortcuts. Listens in the capture phase so they also work inside CodeMirror,
 * whose own Mod-Enter binding would otherwise insert a line.
 */
export function useShortcuts(shortcuts: Shortcuts): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const action =
        event.key === 'Enter' ? latest.current.run : event.key.toLowerCase() === 's' ? latest.current.save : undefined;
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      if (!event.repeat) action();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
