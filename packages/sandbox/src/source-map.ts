// Positions in transformed TypeScript mapped back to the acorn's own source, from the source map Node's
// `stripTypeScriptTypes` appends in transform mode. Only what that needs: one source, no names, a lookup by
// generated line and column. The mappings are decoded on the first lookup, which most runs never make.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGITS[BASE64.charCodeAt(i)] = i;

const INLINE = '\n//# sourceMappingURL=data:application/json;base64,';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export class SourceMap {
  readonly #mappings: string;
  /** Per generated line (0-based): segments as flat [generatedColumn, originalLine, originalColumn] triples. */
  #lines: number[][] | undefined;

  constructor(mappings: string) {
    this.#mappings = mappings;
  }

  /**
   * Where a 1-based position of the generated code comes from: the segment it falls in (the last one starting at or
   * before it on its line), plus how far into that segment it is. A position before the first segment of its line
   * takes that first segment; a line without segments takes the end of the nearest line above that has some.
   */
  original(line: number, column: number): Position {
    const lines = this.#decoded();
    for (let l = Math.min(line - 1, lines.length - 1); l >= 0; l--) {
      const segments = lines[l];
      if (!segments || segments.length === 0) continue;
      if (l !== line - 1) {
        const last = segments.length - 3;
        return { line: (segments[last + 1] as number) + 1, column: (segments[last + 2] as number) + 1 };
      }
      let at = 0;
      for (let k = 0; k < segments.length && (segments[k] as number) <= column - 1; k += 3) at = k;
      const generated = segments[at] as number;
      const offset = Math.max(0, column - 1 - generated);
      return { line: (segments[at + 1] as number) + 1, column: (segments[at + 2] as number) + offset + 1 };
    }
    return { line, column };
  }

  #decoded(): number[][] {
    if (this.#lines) return this.#lines;
    const mappings = this.#mappings;
    const lines: number[][] = [[]];
    const fields: number[] = [];
    let generatedColumn = 0;
    let originalLine = 0;
    let originalColumn = 0;
    let value = 0;
    let shift = 0;
    for (let i = 0; i <= mappings.length; i++) {
      const c = i < mappings.length ? mappings.charCodeAt(i) : 59;
      if (c === 44 || c === 59) {
        // ',' ends a segment, ';' a line: [column, source, line, column, name?], each relative to the previous one.
        if (fields.length > 0) {
          generatedColumn += fields[0] as number;
          if (fields.length >= 4) {
            originalLine += fields[2] as number;
            originalColumn += fields[3] as number;
            (lines.at(-1) as number[]).push(generatedColumn, originalLine, originalColumn);
          }
          fields.length = 0;
        }
        if (c === 59) {
          lines.push([]);
          generatedColumn = 0;
        }
        continue;
      }
      const digit = c < 128 ? (DIGITS[c] as number) : -1;
      if (digit < 0) break; // not a source map we understand: what was decoded so far is kept
      value += (digit & 31) * 2 ** shift;
      if (digit & 32) {
        shift += 5;
      } else {
        fields.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2);
        value = 0;
        shift = 0;
      }
    }
    this.#lines = lines;
    return lines;
  }
}

/** Splits the inline source map off transformed code: the code without it, and the map (when it can be read). */
export function takeInlineSourceMap(js: string): { js: string; map: SourceMap | undefined } {
  const at = js.lastIndexOf(INLINE);
  if (at < 0) return { js, map: undefined };
  let map: SourceMap | undefined;
  try {
    const json = JSON.parse(Buffer.from(js.slice(at + INLINE.length).trim(), 'base64').toString('utf8')) as {
      mappings?: unknown;
    };
    if (typeof json.mappings === 'string') map = new SourceMap(json.mappings);
  } catch {}
  return { js: js.slice(0, at), map };
}
