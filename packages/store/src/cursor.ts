/** Opaque list cursors: a DynamoDB key, base64url JSON, checked on the way back in. */
export type Key = Record<string, string>;

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor, or undefined when it is not one we issued for these key names. */
export function decodeCursor(cursor: string, keyNames: readonly string[]): Key | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length !== keyNames.length) return undefined;
  for (const [name, value] of entries) {
    if (!keyNames.includes(name) || typeof value !== 'string' || value.length === 0 || value.length > 400) {
      return undefined;
    }
  }
  return parsed as Key;
}
