/**
 * F6 and Shift+F6 move between the lesson page's panes, the way desktop
 * applications move between the parts of a window: the lesson text, the
 * checks, the editor, the terminals, and round again. It is also the way
 * out of a pane that keeps Tab for itself (the editor indents with it, the
 * interactive shell completes with it).
 */
export const PANES = ['lesson', 'checks', 'editor', 'terminal'] as const;
export type Pane = (typeof PANES)[number];

/** The pane F6 (or Shift+F6, `backwards`) goes to from `current`; from outside any pane, the first (or the last). */
export function paneAfter(current: Pane | null, backwards: boolean): Pane {
  const n = PANES.length;
  if (current === null) return backwards ? PANES[n - 1]! : PANES[0]!;
  const i = PANES.indexOf(current);
  return PANES[(i + (backwards ? n - 1 : 1)) % n]!;
}

/** Is this key event the pane key: F6 alone, or with Shift? */
export function isPaneKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>): boolean {
  return e.key === 'F6' && !e.ctrlKey && !e.altKey && !e.metaKey;
}
