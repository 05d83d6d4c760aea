import type { KeyboardEvent, PointerEvent } from 'react';
import { type PaneBounds, type SizedPane, sizeAfterKey, sizeAtPointer, type SplitterOrientation } from './pane-size.js';
import './splitter.css';

interface Props {
  orientation: SplitterOrientation;
  /** Which neighbour of the bar `size` measures. */
  pane: SizedPane;
  /** The id of that pane (aria-controls). */
  paneId: string;
  /** What the bar resizes, for screen readers: "Resize the lesson column". */
  label: string;
  /** The pane's size, a percentage of the bar's parent element (the container the panes share). */
  size: number;
  bounds: PaneBounds;
  onResize(size: number): void;
  testId: string;
}

/**
 * A bar between two panes that resizes them: dragged with a pointer, or
 * focused and moved with the arrow keys (the WAI-ARIA window splitter, so
 * aria-valuenow is the pane's size in percent).
 */
export function Splitter({ orientation, pane, paneId, label, size, bounds, onResize, testId }: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = sizeAfterKey(e.key, e.shiftKey, size, orientation, pane, bounds);
    if (next === null) return;
    e.preventDefault();
    onResize(next);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const bar = e.currentTarget;
    const container = bar.parentElement;
    if (!container || !bar.hasPointerCapture(e.pointerId)) return;
    const box = container.getBoundingClientRect();
    onResize(orientation === 'vertical' ? sizeAtPointer(e.clientX, box.left, box.width, pane, bounds) : sizeAtPointer(e.clientY, box.top, box.height, pane, bounds));
  };
  return (
    <div
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={paneId}
      aria-valuenow={Math.round(size)}
      aria-valuemin={bounds.min}
      aria-valuemax={bounds.max}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
    />
  );
}
