/**
 * Blocks in-app navigation while there is unsaved work, in one place: wouter's `aroundNav` for links and
 * programmatic navigation, a capturing `popstate` listener for Back/Forward, and `beforeunload` for full unloads.
 * A blocked navigation asks through the prompt rendered by <NavigationPrompt />; it goes ahead only if the user
 * agrees. It also moves focus to the new page's heading after a navigation (see route-focus.ts).
 */
import type { AroundNavHandler } from 'wouter';
import { requestRouteFocus } from './route-focus';

export interface Blocker {
  /** Read at the moment of navigating, so a save that just finished is seen. */
  isBlocked: () => boolean;
  message: string;
  /** Offered as a third choice: drop the unsaved work, then leave. */
  onDiscard?: () => void;
}

export type PromptChoice = 'stay' | 'leave' | 'discard';

export interface PendingPrompt {
  message: string;
  canDiscard: boolean;
  answer: (choice: PromptChoice) => void;
}

const blockers = new Set<Blocker>();
let pending: PendingPrompt | null = null;
const promptListeners = new Set<() => void>();

function activeBlocker(): Blocker | undefined {
  for (const blocker of blockers) if (blocker.isBlocked()) return blocker;
  return undefined;
}

export function registerBlocker(blocker: Blocker): () => void {
  blockers.add(blocker);
  return () => blockers.delete(blocker);
}

function setPending(next: PendingPrompt | null): void {
  pending = next;
  for (const listener of promptListeners) listener();
}

export function getPendingPrompt(): PendingPrompt | null {
  return pending;
}

export function subscribePrompt(listener: () => void): () => void {
  promptListeners.add(listener);
  return () => promptListeners.delete(listener);
}

/** Asks the user about the active blocker; resolves true when the navigation may go ahead. */
function ask(blocker: Blocker): Promise<boolean> {
  pending?.answer('stay');
  return new Promise((resolve) => {
    setPending({
      message: blocker.message,
      canDiscard: !!blocker.onDiscard,
      answer: (choice) => {
        setPending(null);
        if (choice === 'discard') blocker.onDiscard?.();
        resolve(choice !== 'stay');
      },
    });
  });
}

// Every history entry this app makes carries its position, so Back/Forward can be undone while asking.
let currentIndex = 0;
let lastPath = typeof window === 'undefined' ? '' : window.location.pathname;
/** Focus follows a move to another page (not a new query string on the same page). */
function arrived(): void {
  const path = window.location.pathname;
  if (path !== lastPath) requestRouteFocus(path);
  lastPath = path;
}
const indexOf = (state: unknown): number | undefined => {
  const index = (state as { sqbIndex?: unknown } | null)?.sqbIndex;
  return typeof index === 'number' ? index : undefined;
};

/** For <Router aroundNav>: every Link click and navigate() call passes here. */
export const guardedNavigation: AroundNavHandler = (navigate, to, options) => {
  const go = () => {
    const replace = options?.replace ?? false;
    const index = replace ? currentIndex : currentIndex + 1;
    const state = { ...(options?.state as object | undefined), sqbIndex: index };
    navigate(to, { ...options, state });
    currentIndex = index;
    if (replace) {
      lastPath = window.location.pathname;
    } else {
      if (window.location.pathname !== lastPath) window.scrollTo(0, 0);
      arrived();
    }
  };
  const blocker = activeBlocker();
  if (!blocker) return go();
  void ask(blocker).then((leave) => {
    if (leave) go();
  });
};

let installed = false;
let ignoreNextPop = false;
let allowNextPop = false;

/** Installs the Back/Forward and unload guards once, before the router subscribes to history. */
export function installNavigationGuard(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  const known = indexOf(window.history.state);
  if (known === undefined) window.history.replaceState({ ...window.history.state, sqbIndex: 0 }, '');
  else currentIndex = known;

  // Capturing on window runs before the router's own listener, so a blocked move never re-renders the page.
  window.addEventListener(
    'popstate',
    (event) => {
      const next = indexOf(event.state);
      if (ignoreNextPop) {
        ignoreNextPop = false;
        event.stopImmediatePropagation();
        return;
      }
      const blocker = allowNextPop ? undefined : activeBlocker();
      allowNextPop = false;
      if (!blocker || next === undefined || next === currentIndex) {
        if (next !== undefined) currentIndex = next;
        arrived();
        return;
      }
      // Undo the move while asking; replay it if the user agrees to leave.
      event.stopImmediatePropagation();
      const delta = currentIndex - next;
      ignoreNextPop = true;
      window.history.go(delta);
      void ask(blocker).then((leave) => {
        if (!leave) return;
        allowNextPop = true;
        window.history.go(-delta);
      });
    },
    true,
  );

  window.addEventListener('beforeunload', (event) => {
    if (activeBlocker()) event.preventDefault();
  });
}
