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
