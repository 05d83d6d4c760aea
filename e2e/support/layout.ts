import type { Page } from '@playwright/test';

/**
 * Measurements of the lesson page's layout, taken in the page: what is out
 * of view, what text is cut off, what reaches past the window's edge.
 */

/** One status element as measured: its text and whether it fits its box. */
export interface TextBox {
  selector: string;
  text: string;
  scrollWidth: number;
  clientWidth: number;
}

/** The words the page uses for status: next to Run, in the run summary, on each check, in the shell's bar, on the tabs, in the completion banner. */
export const STATUS_TEXT = ['.run-progress', '.run-progress-text', '.toolbar-notice', '.server-save', '.run-button', '.run-summary-title', '.run-summary-message', '.check-state', '.shell-message', '[role="tab"]', '.next-lesson > span'] as const;

/** Every status element on the page now, measured. Elements without a box (not displayed) are left out. */
export async function measureStatusText(page: Page): Promise<TextBox[]> {
  return page.evaluate((selectors) => {
    const boxes: TextBox[] = [];
    for (const selector of selectors)
      for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
        if (el.getClientRects().length === 0) continue;
        boxes.push({ selector, text: el.textContent ?? '', scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
      }
    return boxes;
  }, STATUS_TEXT);
}

/** A status element whose text is wider than its box (cut off, e.g. with an ellipsis) — or that has no width to measure. */
export const isClipped = (b: TextBox): boolean => b.clientWidth === 0 || b.scrollWidth > b.clientWidth;

/**
 * From now on, measures every status element each time the toolbar, the run
 * summary or the checks change (a run's states pass too quickly to sample
 * from outside). Read the record with `recordedStatusText`.
 */
export async function recordStatusText(page: Page): Promise<void> {
  await page.evaluate((selectors) => {
    const w = window as unknown as { statusRecord: TextBox[] };
    w.statusRecord = [];
    const measure = () => {
      for (const selector of selectors)
        for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
          if (el.getClientRects().length === 0) continue;
          w.statusRecord.push({ selector, text: el.textContent ?? '', scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
        }
    };
    const observer = new MutationObserver(measure);
    for (const root of Array.from(document.querySelectorAll('.run-toolbar, [data-testid="verdict-panel"], .terminal-tabs')))
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  }, STATUS_TEXT);
}

export async function recordedStatusText(page: Page): Promise<TextBox[]> {
  return page.evaluate(() => (window as unknown as { statusRecord: TextBox[] }).statusRecord);
}

/** The checks whose row is not wholly on screen: outside the list's visible box, or outside the window. */
export async function checksOutOfView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const list = document.querySelector('[data-testid="check-list"]')!.getBoundingClientRect();
    return Array.from(document.querySelectorAll<HTMLElement>('[data-testid="check-row"]'))
      .filter((row) => {
        const r = row.getBoundingClientRect();
        return r.top < Math.max(0, list.top) - 1 || r.bottom > Math.min(window.innerHeight, list.bottom) + 1;
      })
      .map((row) => row.dataset.checkId ?? '?');
  });
}

/** How far the page itself scrolls: a laptop layout is one screen, its panes scroll inside. */
export async function pageScroll(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    return { x: root.scrollWidth - root.clientWidth, y: root.scrollHeight - root.clientHeight };
  });
}

/**
 * From now on, records for each check that turns "running" whether its row
 * is inside the checks list's visible box at that moment (measured when the
 * attribute changes, after the page's own layout effects).
 */
/**
 * Records every row of the checks list as the run reaches it (it turns
 * running, or arrives with its verdict: a check done on a borrowed VM is
 * never seen running), and whether it was in view at that moment.
 */
export async function recordReachedRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { reachedRows: Array<{ index: number; verdict: string; inView: boolean; runOver: boolean }> };
    w.reachedRows = [];
    const list = document.querySelector<HTMLElement>('[data-testid="check-list"]')!;
    new MutationObserver((records) => {
      for (const r of records) {
        const row = r.target as HTMLElement;
        const verdict = row.dataset.verdict ?? '';
        if (r.oldValue !== 'queued' || verdict === 'queued' || verdict === 'pending') continue;
        const box = list.getBoundingClientRect();
        const at = row.getBoundingClientRect();
        // A row that arrives with the run's end is not followed: a finished run shows its first escaped row instead.
        const outcome = document.querySelector('[data-testid="run-summary"]')?.getAttribute('data-outcome') ?? 'none';
        w.reachedRows.push({ index: Number(row.dataset.index), verdict, inView: at.top >= box.top - 1 && at.bottom <= box.bottom + 1, runOver: !/^(none|running)$/.test(outcome) });
      }
    }).observe(list, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-verdict'] });
  });
}

export async function recordedReachedRows(page: Page): Promise<Array<{ index: number; verdict: string; inView: boolean; runOver: boolean }>> {
  return page.evaluate(() => (window as unknown as { reachedRows: Array<{ index: number; verdict: string; inView: boolean; runOver: boolean }> }).reachedRows);
}

/**
 * Elements that reach past the window's right edge, unless a box of their
 * own scrolls them sideways (a code block; the editor and the terminal,
 * which scroll themselves) and that box fits. The page's own scrollers do
 * not count as such a box, nor does a box that only hides what overflows:
 * code cut off at the right is what this looks for.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const pageScrollers = new Set<Element>(Array.from(document.querySelectorAll('.app, .app-body, .page, .lesson-workspace, .lesson-column, .work-column')));
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}: ${(el.textContent ?? '').trim().slice(0, 40)}`;
    const offenders: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= width + 0.5) continue;
      let contained = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (pageScrollers.has(a)) continue;
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(a).overflowX) || a.matches('.monaco-editor, .xterm');
        if (scrolls && a.getBoundingClientRect().right <= width + 0.5) {
          contained = true;
          break;
        }
      }
      if (!contained) offenders.push(describe(el));
    }
    return offenders;
  });
}

/**
 * Whether an element inside the checks list is wholly within the list's visible box and on top there (what is
 * drawn at its centre is the element itself, not the summary or another panel over it).
 */
export async function shownInChecksList(el: import('@playwright/test').Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const list = node.closest('[data-testid="check-list"]');
    if (!list) return false;
    const b = list.getBoundingClientRect();
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.height > 0 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5 && hit !== null && node.contains(hit);
  });
}
