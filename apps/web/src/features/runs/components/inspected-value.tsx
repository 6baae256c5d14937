/**
 * A logged value as an expandable tree, from the structured form the sandbox sends beside a log line's text
 * (`LogEntry.values`). Each object node is a disclosure button (Enter/Space or the arrow keys open and close it);
 * its entries render only once it is open, so a large logged object costs a line until someone looks inside.
 */
import type { InspectedValue } from '@squirrelbin/schemas';
import { useId, useState } from 'react';

type ObjectValue = Extract<InspectedValue, { kind: 'object' }>;

/** An object node can open when it has entries (or says some were left out) and is not a circular reference. */
export function isExpandable(value: InspectedValue): value is ObjectValue {
  return value.kind === 'object' && !value.ref && (value.entries.length > 0 || (value.more ?? 0) > 0);
}

const previewEntries = 5;
const previewChars = 100;

/**
 * A one-line summary like a browser console's: `{a: 1, b: {…}}`, `Map(2) {'x' => 1, …}`, `Array(3) [1, 2, 3]`.
 * Nested objects show only their label, so the summary stays short whatever the depth.
 */
export function summarize(value: InspectedValue, nested = false): string {
  if (value.kind === 'primitive') return nested ? shorten(value.text, 40) : value.text;
  // The sandbox labels a circular reference itself (`[Circular *1]`).
  if (value.ref) return value.label.startsWith('[Circular') ? value.label : '[Circular]';
  const arrayLike = isArrayLike(value);
  const [open, close] = arrayLike ? ['[', ']'] : ['{', '}'];
  const label = value.label === 'Object' || value.label === '' ? '' : value.label;
  if (value.entries.length === 0 && !value.more) return label ? `${label} ${open}${close}` : `${open}${close}`;
  if (nested) return label || `${open}…${close}`;
  const separator = keySeparator(value);
  const parts = value.entries.slice(0, previewEntries).map((entry) => {
    // An array's indexes are left out of its summary, as a console does: `Array(3) [1, 2, 3]`.
    const key = entry.key === undefined || (arrayLike && /^\d+$/.test(entry.key)) ? '' : `${entry.key}${separator}`;
    return `${key}${summarize(entry.value, true)}`;
  });
  if (value.entries.length > previewEntries || value.more) parts.push('…');
  return shorten(`${label ? `${label} ` : ''}${open}${parts.join(', ')}${close}`, previewChars);
}

/** A Map's entries read `key => value`; everything else's `key: value`. */
function keySeparator(value: ObjectValue): string {
  return /^Map\(\d+\)/.test(value.label) ? ' => ' : ': ';
}

/** Arrays and typed arrays read `[…]`; everything else (objects, Maps, Sets, class instances) `{…}`. */
function isArrayLike(value: ObjectValue): boolean {
  if (/Array(\(\d+\))?$/.test(value.label)) return true;
  return value.label === '' && value.entries.length > 0 && value.entries.every((entry) => entry.key === undefined);
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** One node: a primitive, a circular reference, or an object that opens to show its entries. */
export function ValueNode({
  value,
  name,
  separator = ': ',
  defaultOpen = false,
}: {
  value: InspectedValue;
  /** The key this value sits under in its parent (absent for a root or a Set's entry). */
  name?: string;
  /** Between the key and the value: `: `, or ` => ` in a Map. */
  separator?: string;
  defaultOpen?: boolean;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  const key =
    name !== undefined ? (
      <>
        <span className="iv-key">{name}</span>
        <span className="iv-punct">{separator}</span>
      </>
    ) : null;

  if (!isExpandable(value)) {
    return (
      <div className="iv-row iv-leaf">
        <span className="iv-text">
          {key}
          <span className={value.kind === 'primitive' ? `iv-primitive ${primitiveClass(value.text)}` : 'iv-label'}>
            {value.kind === 'primitive' ? value.text : summarize(value)}
          </span>
        </span>
      </div>
    );
  }

  return (
    <div className="iv-node">
      <button
        type="button"
        className="iv-row iv-toggle"
        aria-expanded={open}
        aria-controls={open ? `${id}-entries` : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowRight' && !open) setOpen(true);
          else if (event.key === 'ArrowLeft' && open) setOpen(false);
          else return;
          event.preventDefault();
        }}
        data-testid="value-toggle"
      >
        <span className="iv-triangle" aria-hidden="true" />
        <span className="iv-text">
          {key}
          <span className="iv-summary">{open ? openLabel(value) : summarize(value)}</span>
        </span>
      </button>
      {open ? (
        <ul className="iv-entries" id={`${id}-entries`} data-testid="value-entries">
          {value.entries.map((entry, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries of a logged value never move.
            <li key={index}>
              <ValueNode value={entry.value} name={entry.key} separator={keySeparator(value)} />
            </li>
          ))}
          {value.more ? (
            <li className="iv-row iv-more muted" data-testid="value-more">
              … {value.more} more {value.more === 1 ? 'entry' : 'entries'}
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

/** An open node shows its label alone: its entries are right below. */
function openLabel(value: ObjectValue): string {
  if (value.label) return value.label;
  return isArrayLike(value) ? 'Array' : 'Object';
}

/** Colours primitives as a console does (strings, numbers and booleans, null/undefined) from their inspected text. */
function primitiveClass(text: string): string {
  if (/^['"`]/.test(text)) return 'iv-string';
  if (/^-?(\d|Infinity|NaN)/.test(text) || text === 'true' || text === 'false') return 'iv-atom';
  if (text === 'null' || text === 'undefined') return 'iv-nullish';
  return '';
}
