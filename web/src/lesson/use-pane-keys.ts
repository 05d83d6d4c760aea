import { useEffect, useRef } from 'react';
import { isPaneKey, type Pane, paneAfter } from './pane-keys.js';

/**
 * Where focus goes in each pane, found when the key is pressed (the page changes under it): the element,
 * and how to focus it when `focus()` on it is not the way (the editor is focused through its own API).
 */
export interface PaneTarget {
  element(): HTMLElement | null;
  focus?(): void;
}
export type PaneTargets = Record<Pane, PaneTarget>;

/** Which pane holds the focus now, from the elements that mark each pane. */
function paneOf(el: Element | null): Pane | null {
  if (!el) return null;
  if (el.closest('[data-testid="verdict-panel"]')) return 'checks';
  if (el.closest('#lesson-column')) return 'lesson';
  if (el.closest('#terminal-stack')) return 'terminal';
  if (el.closest('.work-column')) return 'editor';
  return null;
}

/**
 * F6 / Shift+F6 on the lesson page (pane-keys.ts). Listens on the window in
 * the capture phase, so the editor and the terminals, which keep most keys
 * for themselves, cannot swallow it. A modal dialog keeps its focus: the key
 * does nothing while one is open.
 */
export function usePaneKeys(targets: PaneTargets): void {
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaneKey(e) || document.querySelector('dialog[open]')) return;
      const from = paneOf(document.activeElement);
      // A pane with nothing to focus (the editor hidden behind the comparison) is passed over.
      let to = paneAfter(from, e.shiftKey);
      for (let tries = 0; tries < 4; tries++) {
        const target = latest.current[to];
        const el = target.element();
        if (el && el.getClientRects().length > 0) {
          e.preventDefault();
          e.stopPropagation();
          if (target.focus) target.focus();
          else el.focus();
          return;
        }
        to = paneAfter(to, e.shiftKey);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
