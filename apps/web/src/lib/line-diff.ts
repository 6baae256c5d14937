/** A line diff of two texts: the common prefix and suffix are trimmed, the middle aligned by longest common subsequence. */
export type DiffLine =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number }
  | { kind: 'added'; text: string; newLine: number };

/** Above this many cells (changed lines before × after) the middle is shown as replaced wholesale. */
const maxCells = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n * m > maxCells) {
    for (let i = start; i < endA; i++) out.push({ kind: 'removed', text: a[i]!, oldLine: i + 1 });
    for (let j = start; j < endB; j++) out.push({ kind: 'added', text: b[j]!, newLine: j + 1 });
  } else {
    // lcs[i][j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          a[start + i] === b[start + j]
            ? lcs[(i + 1) * width + j + 1]! + 1
            : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        out.push({ kind: 'same', text: a[start + i]!, oldLine: start + i + 1, newLine: start + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
        // On a tie, removals come before additions, as in a unified diff.
        out.push({ kind: 'removed', text: a[start + i]!, oldLine: start + i + 1 });
        i++;
      } else {
        out.push({ kind: 'added', text: b[start + j]!, newLine: start + j + 1 });
        j++;
      }
    }
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) {
    out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  }
  return out;
}
