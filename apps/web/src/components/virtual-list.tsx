/**
 * A list that renders only the rows near the visible part of its scroll container once it is long, so a run
 * with a thousand logs costs what a screenful costs. Rows may have any height: each is measured once drawn,
 * and re-measured when the list changes size (a row that expands). Short lists render plainly.
 */
import {
  cloneElement,
  type ReactElement,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  /** The element that scrolls (the list may sit anywhere inside it). */
  scroller: RefObject<HTMLElement | null>;
  /** Renders one row as an <li>, or a component that passes extra props on to its <li>. */
  renderItem: (item: T, index: number) => ReactElement<React.LiHTMLAttributes<HTMLLIElement>>;
  /** Rows up to this count render without windowing. */
  threshold?: number;
  /** Height guessed for rows not measured yet, in px. */
  estimate?: number;
  className?: string;
  testId?: string;
}

const overscanPx = 400;
/** Drawn before the first layout is known (e.g. a hidden pane). */
const initialRows = 60;

export function VirtualList<T>({
  items,
  scroller,
  renderItem,
  threshold = 200,
  estimate = 24,
  className,
  testId,
}: VirtualListProps<T>) {
  const list = useRef<HTMLOListElement>(null);
  const heights = useRef<number[]>([]);
  const [range, setRange] = useState<[number, number]>([0, Math.min(items.length, initialRows)]);
  const windowed = items.length > threshold;
  // Bumped when rows were measured outside a render, so the paddings are computed again.
  const [, setMeasured] = useState(0);

  // 0 = not measured yet; those rows count as the average of the measured ones, so the total stays close.
  if (heights.current.length !== items.length) {
    heights.current = Array.from({ length: items.length }, (_, i) => heights.current[i] ?? 0);
  }
  const heightOf = useCallback(
    (index: number) => {
      const measured = heights.current[index]!;
      if (measured > 0) return measured;
      let sum = 0;
      let count = 0;
      for (const height of heights.current) {
        if (height > 0) {
          sum += height;
          count++;
        }
      }
      return count > 0 ? sum / count : estimate;
    },
    [estimate],
  );
  const average = heightOf(-1);
  const offsets = new Array<number>(items.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i]! + (heights.current[i]! || average);

  const update = useCallback(() => {
    const container = scroller.current;
    const element = list.current;
    if (!container || !element || container.clientHeight === 0) return;
    const listTop = element.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
    const top = container.scrollTop - listTop - overscanPx;
    const bottom = container.scrollTop - listTop + container.clientHeight + overscanPx;
    const count = heights.current.length;
    const average = heightOf(-1);
    const height = (index: number) => heights.current[index]! || average;
    let start = 0;
    let offset = 0;
    while (start < count && offset + height(start) < top) offset += height(start++);
    let end = start;
    while (end < count && offset < bottom) offset += height(end++);
    setRange((current) => (current[0] === start && current[1] === end ? current : [start, end]));
  }, [scroller, heightOf]);

  /** Reads the drawn rows' heights; true when one changed. */
  const measure = useCallback(() => {
    if (!list.current) return false;
    let changed = false;
    for (const row of list.current.children) {
      const index = Number((row as HTMLElement).dataset.index);
      const height = (row as HTMLElement).offsetHeight;
      if (height > 0 && Number.isInteger(index) && heights.current[index] !== height) {
        heights.current[index] = height;
        changed = true;
      }
    }
    return changed;
  }, []);

  useEffect(() => {
    if (!windowed) return;
    const container = scroller.current;
    if (!container) return;
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(update);
    };
    container.addEventListener('scroll', onScroll, { passive: true });
    // A row that opens (an inspected object) grows the list without a render of the list itself: measure again.
    const observer = new ResizeObserver(() => {
      if (measure()) setMeasured((count) => count + 1);
      onScroll();
    });
    observer.observe(container);
    if (list.current) observer.observe(list.current);
    update();
    return () => {
      cancelAnimationFrame(frame);
      container.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [windowed, scroller, update, measure]);

  // Measure the drawn rows; a change moves the window on the next frame.
  useLayoutEffect(() => {
    if (windowed && measure()) update();
  });

  if (!windowed) {
    return (
      <ol ref={list} className={className} data-testid={testId}>
        {items.map((item, index) => renderItem(item, index))}
      </ol>
    );
  }
  const start = Math.min(range[0], items.length);
  const end = Math.min(Math.max(range[1], start), items.length);
  return (
    <ol
      ref={list}
      className={className}
      data-testid={testId}
      data-windowed="true"
      style={{ paddingTop: offsets[start], paddingBottom: offsets[items.length]! - offsets[end]! }}
    >
      {items.slice(start, end).map((item, i) => {
        const index = start + i;
        return cloneElement(renderItem(item, index), {
          'data-index': index,
          'aria-posinset': index + 1,
          'aria-setsize': items.length,
        } as React.LiHTMLAttributes<HTMLLIElement>);
      })}
    </ol>
  );
}
