/**
 * The arithmetic of a resizable pane, kept apart from the DOM so it can be
 * tested: a size is a percentage of the container the panes share, always
 * within the pane's bounds.
 */
export interface PaneBounds {
  min: number;
  max: number;
}

/** Which way the bar lies: 'vertical' between side-by-side panes, 'horizontal' between stacked ones (ARIA's aria-orientation). */
export type SplitterOrientation = 'vertical' | 'horizontal';

/** The pane a splitter sizes: the one before the bar (left, above) or after it (right, below). */
export type SizedPane = 'before' | 'after';

const STEP = 2;
const BIG_STEP = 10;

export function clampSize(size: number, bounds: PaneBounds): number {
  return Math.min(bounds.max, Math.max(bounds.min, size));
}

/** A size kept in localStorage, or the fallback when there is none or it is not a number. */
export function parseStoredSize(raw: string | null, fallback: number, bounds: PaneBounds): number {
  const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return clampSize(Number.isFinite(n) ? n : fallback, bounds);
}

/**
 * The size after a key press on the splitter (the WAI-ARIA window splitter:
 * arrows move the bar, Shift moves it further, Home/End give the pane its
 * smallest/largest size), or null for a key the splitter does not take.
 * An arrow moves the bar the way it points, so the pane grows or shrinks
 * depending on which side of the bar it lies.
 */
export function sizeAfterKey(key: string, shift: boolean, size: number, orientation: SplitterOrientation, pane: SizedPane, bounds: PaneBounds): number | null {
  if (key === 'Home') return bounds.min;
  if (key === 'End') return bounds.max;
  const [back, forward] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
  if (key !== back && key !== forward) return null;
  const barMoves = (key === forward ? 1 : -1) * (shift ? BIG_STEP : STEP);
  return clampSize(size + (pane === 'before' ? barMoves : -barMoves), bounds);
}

/** The size that puts the bar under the pointer: `pointer` and `start` in px along the container's axis, `length` its extent. */
export function sizeAtPointer(pointer: number, start: number, length: number, pane: SizedPane, bounds: PaneBounds): number {
  if (length <= 0) return bounds.min;
  const before = ((pointer - start) / length) * 100;
  return clampSize(pane === 'before' ? before : 100 - before, bounds);
}
