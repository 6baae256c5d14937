/**
 * Opaque list cursors: a DynamoDB key, base64url JSON, checked on the way back in. A cursor is bound to the query
 * it came from: every key field must have exactly the shape (and, for the partition, the value) that query can
 * produce, so a tampered cursor is a bad cursor (400), never a key DynamoDB refuses (500).
 */
export type Key = Record<string, string>;

/** Each key field's allowed value: a pattern, or the one value it must have. */
export type CursorShape = Record<string, RegExp | string>;

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor, or undefined when it is not one this query could have issued. */
export function decodeCursor(cursor: string, shape: CursorShape): Key | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length !== Object.keys(shape).length) return undefined;
  for (const [name, value] of entries) {
    const rule = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (rule === undefined || typeof value !== 'string' || value.length === 0 || value.length > 400) return undefined;
    if (typeof rule === 'string' ? value !== rule : !rule.test(value)) return undefined;
  }
  return parsed as Key;
}
