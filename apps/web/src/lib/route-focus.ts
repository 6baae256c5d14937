/**
 * After an in-app navigation, focus goes to the new page's heading, so keyboard and screen reader users
 * start at the top of what changed. The heading takes it when it mounts (lazy pages mount late).
 */
let pendingPath: string | null = null;

export function requestRouteFocus(pathname: string): void {
  pendingPath = pathname;
}

/** True once for the page at `pathname` after a navigation to it. */
export function takeRouteFocus(pathname: string): boolean {
  if (pendingPath !== pathname) return false;
  pendingPath = null;
  return true;
}
