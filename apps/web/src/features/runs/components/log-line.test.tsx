import type { InspectedValue, LogEntry } from '@squirrelbin/schemas';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { summarize } from './inspected-value';
import { LogLine, logLineText } from './log-line';
import { OutputPanel } from './output-panel';

const p = (text: string): InspectedValue => ({ kind: 'primitive', text });

/** `{ name: 'squirrel', nuts: [1, 2, 3], home: { tree: 'oak', branch: { level: 3 } } }`, as the sandbox sends it. */
const squirrel: InspectedValue = {
  kind: 'object',
  label: 'Object',
  entries: [
    { key: 'name', value: p("'squirrel'") },
    {
      key: 'nuts',
      value: {
        kind: 'object',
        label: 'Array(3)',
        entries: [
          { key: '0', value: p('1') },
          { key: '1', value: p('2') },
          { key: '2', value: p('3') },
        ],
      },
    },
    {
      key: 'home',
      value: {
        kind: 'object',
        label: 'Object',
        entries: [
          { key: 'tree', value: p("'oak'") },
          { key: 'branch', value: { kind: 'object', label: 'Object', entries: [{ key: 'level', value: p('3') }] } },
        ],
      },
    },
  ],
};

function renderLine(entry: LogEntry) {
  const { container, unmount } = render(
    <ol>
      <LogLine entry={entry} />
    </ol>,
  );
  return Object.assign(container.querySelector('li')!, { unmount });
}

describe('LogLine', () => {
  it('renders a plain text line as before (old servers send only the text)', () => {
    const line = renderLine({ level: 'log', message: 'hello { a: 1 }', t: 1.4 });
    expect(line.querySelector('.log-message')!.textContent).toBe('hello { a: 1 }');
    expect(screen.queryByTestId('log-expand')).toBeNull();
    expect(line.dataset.depth).toBeUndefined();
  });

  it('keeps the message as the face and opens the logged object as a tree, lazily, one level at a time', () => {
    const line = renderLine({
      level: 'log',
      message: "user { name: 'squirrel', nuts: [ 1, 2, 3 ], home: { tree: 'oak', branch: [Object] } }",
      t: 2,
      values: [squirrel],
    });
    expect(line.querySelector('.log-message')!.textContent).toContain('branch: [Object]');
    const expand = screen.getByTestId('log-expand');
    expect(expand.getAttribute('aria-expanded')).toBe('false');
    expect(expand.getAttribute('aria-label')).toBe('Inspect the logged object');
    // Nothing of the tree is drawn until it is opened.
    expect(screen.queryByTestId('log-values')).toBeNull();

    fireEvent.click(expand);
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    const tree = screen.getByTestId('log-values');
    expect(expand.getAttribute('aria-controls')).toBe(tree.id);
    // The root opens with its first level shown; nested objects stay closed, with a summary.
    const root = within(tree).getAllByTestId('value-toggle')[0]!;
    expect(root.getAttribute('aria-expanded')).toBe('true');
    const rootEntries = within(tree).getAllByTestId('value-entries')[0]!;
    expect(rootEntries.children).toHaveLength(3);
    expect(rootEntries.children[0]!.textContent).toBe("name: 'squirrel'");
    const [nuts, home] = within(rootEntries).getAllByTestId('value-toggle');
    expect(nuts!.getAttribute('aria-expanded')).toBe('false');
    expect(nuts!.textContent).toBe('nuts: Array(3) [1, 2, 3]');
    expect(home!.textContent).toBe("home: {tree: 'oak', branch: {…}}");
    expect(within(tree).getAllByTestId('value-entries')).toHaveLength(1);

    // Deeper than the text went ("[Object]"): open home, then branch.
    fireEvent.click(home!);
    expect(home!.getAttribute('aria-expanded')).toBe('true');
    const branch = within(tree)
      .getAllByTestId('value-toggle')
      .find((toggle) => toggle.textContent?.startsWith('branch'))!;
    expect(branch.textContent).toBe('branch: {level: 3}');
    fireEvent.click(branch);
    expect(tree.textContent).toContain('level: 3');

    // Closing drops the entries; closing the line hides the whole tree.
    fireEvent.click(home!);
    expect(tree.textContent).not.toContain('level: 3');
    fireEvent.click(expand);
    expect(screen.queryByTestId('log-values')).toBeNull();
  });

  it('opens and closes with the keyboard (buttons, plus the arrow keys as in a tree)', () => {
    renderLine({ level: 'log', message: '{ … }', t: 0, values: [squirrel] });
    const expand = screen.getByTestId('log-expand');
    expect(expand.tagName).toBe('BUTTON');
    fireEvent.keyDown(expand, { key: 'ArrowRight' });
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    const nuts = screen.getAllByTestId('value-toggle')[1]!;
    expect(nuts.tagName).toBe('BUTTON');
    fireEvent.keyDown(nuts, { key: 'ArrowRight' });
    expect(nuts.getAttribute('aria-expanded')).toBe('true');
    expect(nuts.parentElement!.textContent).toContain('0: 11: 22: 3');
    fireEvent.keyDown(nuts, { key: 'ArrowLeft' });
    expect(nuts.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(expand, { key: 'ArrowLeft' });
    expect(expand.getAttribute('aria-expanded')).toBe('false');
  });

  it('shows entries left out, circular references and empty objects without a toggle', () => {
    const big: InspectedValue = {
      kind: 'object',
      label: 'Map(120)',
      entries: [
        { key: "'a'", value: p('1') },
        { key: 'self', value: { kind: 'object', label: '[Circular *1]', entries: [], ref: true } },
        { key: 'empty', value: { kind: 'object', label: 'Object', entries: [] } },
      ],
      more: 117,
    };
    renderLine({ level: 'log', message: "Map(120) { 'a' => 1, … }", t: 0, values: [big] });
    fireEvent.click(screen.getByTestId('log-expand'));
    expect(screen.getByTestId('value-more').textContent).toBe('… 117 more entries');
    const tree = screen.getByTestId('log-values');
    // Only the root can open: the circular reference and the empty object are leaves.
    expect(within(tree).getAllByTestId('value-toggle')).toHaveLength(1);
    // A Map's entries read `key => value`.
    expect(tree.textContent).toContain("'a' => 1");
    expect(tree.textContent).toContain('self => [Circular *1]');
    expect(tree.textContent).toContain('empty => {}');
  });

  it('names how many objects a line logged, and has no toggle when none can open', () => {
    const line = renderLine({ level: 'log', message: 'a {} b {}', t: 0, values: [squirrel, squirrel] });
    expect(screen.getByTestId('log-expand').getAttribute('aria-label')).toBe('Inspect the 2 logged objects');
    fireEvent.click(screen.getByTestId('log-expand'));
    expect(screen.getByTestId('log-values').children).toHaveLength(2);
    line.unmount();
    renderLine({ level: 'log', message: '{}', t: 0, values: [{ kind: 'object', label: 'Object', entries: [] }] });
    expect(screen.queryByTestId('log-expand')).toBeNull();
  });

  it('draws console.table as a real table, with column and row headers', () => {
    const line = renderLine({
      level: 'log',
      message: '┌─────────┬─────┐\n│ (index) │ a   │\n…',
      t: 3,
      table: {
        columns: ['(index)', 'name', 'nuts'],
        rows: [
          ['0', "'ada'", '3'],
          ['1', "'bob'", '5'],
        ],
      },
    });
    const table = within(line).getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['(index)', 'name', 'nuts']);
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['0', '1']);
    expect(
      within(table)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(["'ada'", '3', "'bob'", '5']);
    // The box-drawing text is not drawn beside the table; Copy still takes it.
    expect(line.querySelector('.log-message')).toBeNull();
    expect(logLineText({ level: 'log', message: 'table text', t: 3 })).toBe('[log] +3ms table text');
  });

  it('indents console.group lines by their depth', () => {
    render(
      <ol>
        <LogLine entry={{ level: 'log', message: 'outer', t: 0 }} />
        <LogLine entry={{ level: 'log', message: 'inner', t: 0, depth: 1 }} />
        <LogLine entry={{ level: 'log', message: '    deepest', t: 0, depth: 2 }} />
      </ol>,
    );
    const [outer, inner, deepest] = screen.getAllByRole('listitem');
    expect(outer!.dataset.depth).toBeUndefined();
    expect(outer!.style.getPropertyValue('--depth')).toBe('');
    expect(inner!.dataset.depth).toBe('1');
    expect(inner!.style.getPropertyValue('--depth')).toBe('1');
    expect(deepest!.dataset.depth).toBe('2');
    // A server that also indented the text is not indented twice.
    expect(deepest!.querySelector('.log-message')!.textContent).toBe('deepest');
  });

  it('shows a logged error with its message and its stack set apart', () => {
    const line = renderLine({
      level: 'error',
      message: 'Error: x\n    at boom (acorn.ts:2:9)\n    at acorn.ts:4:1',
      t: 1,
    });
    expect(line.querySelector('.log-message')!.textContent).toContain('Error: x');
    expect(screen.getByTestId('log-stack').textContent).toBe('    at boom (acorn.ts:2:9)\n    at acorn.ts:4:1');
  });

  it('renders structured lines inside the output panel (logs, filter and copy unchanged)', () => {
    render(
      <OutputPanel
        result={{
          status: 'ok',
          value: null,
          preview: 'null',
          wallMs: 1,
          cpuMs: 1,
          truncated: { logs: false, value: false },
          logs: [
            { level: 'log', message: 'group', t: 0 },
            { level: 'log', message: "{ name: 'squirrel' }", t: 1, depth: 1, values: [squirrel] },
          ],
        }}
      />,
    );
    const lines = screen.getByTestId('run-logs').querySelectorAll('li.log');
    expect(lines).toHaveLength(2);
    fireEvent.click(screen.getByTestId('log-expand'));
    expect(screen.getByTestId('log-values').textContent).toContain("name: 'squirrel'");
  });
});

describe('summarize', () => {
  it('reads like a browser console', () => {
    expect(summarize(squirrel)).toBe("{name: 'squirrel', nuts: Array(3), home: {…}}");
    expect(summarize({ kind: 'object', label: 'Array(2)', entries: [{ value: p('1') }, { value: p("'x'") }] })).toBe(
      "Array(2) [1, 'x']",
    );
    expect(summarize({ kind: 'object', label: '[Circular *2]', entries: [], ref: true })).toBe('[Circular *2]');
    expect(
      summarize({
        kind: 'object',
        label: 'Map(1)',
        entries: [{ key: "'k'", value: { kind: 'object', label: 'Set(0)', entries: [] } }],
      }),
    ).toBe("Map(1) {'k' => Set(0) {}}");
    expect(summarize({ kind: 'object', label: 'Set(2)', entries: [{ value: p('1') }, { value: p('2') }] })).toBe(
      'Set(2) {1, 2}',
    );
    const many = Array.from({ length: 8 }, (_, n) => ({ key: `k${n}`, value: p(String(n)) }));
    expect(summarize({ kind: 'object', label: 'Object', entries: many })).toBe(
      '{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, …}',
    );
  });
});
