/**
 * Scrolls `container` (and nothing else) just enough to show `el`. Unlike
 * Element.scrollIntoView it never moves the page or other scrolling
 * ancestors: following a run must not pull the page away from the editor.
 */
export function revealWithin(container: HTMLElement, el: HTMLElement): void {
  if (container.scrollHeight <= container.clientHeight) return;
  const box = container.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.top < box.top) container.scrollTop -= box.top - r.top;
  else if (r.bottom > box.bottom) container.scrollTop += Math.min(r.bottom - box.bottom, r.top - box.top);
}

/** Where a box's top edge is, and where it ends (viewport pixels, as getBoundingClientRect gives them). */
export interface Span {
  top: number;
  bottom: number;
}

/**
 * The scrollTop that puts `el`'s top edge `margin` px below the top of the container's visible box, or null when
 * `el` is already wholly in view. The start of a row is its heading and its evidence (the probe's name, the red
 * SECRET badge): "nearest" would show a tall row's middle, or its bottom, with the heading scrolled away above.
 */
export function scrollTopToShowStart(box: Span, scrollTop: number, el: Span, margin: number): number | null {
  if (el.top >= box.top + margin - 0.5 && el.bottom <= box.bottom + 0.5) return null;
  return Math.max(0, scrollTop + (el.top - box.top) - margin);
}

/** Scrolls `container` (only) so that `el` starts at its top, below the element's own scroll-margin-top. */
export function revealStartWithin(container: HTMLElement, el: HTMLElement): void {
  if (container.scrollHeight <= container.clientHeight) return;
  const margin = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;
  const next = scrollTopToShowStart(container.getBoundingClientRect(), container.scrollTop, el.getBoundingClientRect(), margin);
  if (next !== null) container.scrollTop = next;
}
