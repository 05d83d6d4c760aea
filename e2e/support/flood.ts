import { expect, type Page } from '@playwright/test';
import { OUTPUT_FRAME_HEADER_BYTES } from '@jaillab/protocol';
import { ShellTab } from './shell.js';
import { Workspace } from './workspace.js';

/**
 * The shell flood, shared by the e2e test (what must hold) and the UI
 * benchmark (how fast it feels): `yes` in an interactive shell streams
 * without end through the same acknowledged flow control as run output.
 */
export const FLOOD_LESSON = 'first-jail/a-jail-that-leaks';
export const FLOOD_LINE = 'JAILLAB-FLOOD-LINE';

/** Output bytes the page received and acknowledged, as seen on its WebSocket (from outside the app). */
export interface SocketLedger {
  received: number;
  acked: number;
  /** The most bytes ever received and not yet acknowledged. */
  maxOutstanding: number;
}

/** Watches the page's socket: output frames in, acks out. Call before the page opens its socket. */
export function watchSocket(page: Page): SocketLedger {
  const ledger: SocketLedger = { received: 0, acked: 0, maxOutstanding: 0 };
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return;
      ledger.received += payload.byteLength - OUTPUT_FRAME_HEADER_BYTES;
      ledger.maxOutstanding = Math.max(ledger.maxOutstanding, ledger.received - ledger.acked);
    });
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const msg = JSON.parse(payload) as { type?: string; bytes?: number };
      if (msg.type === 'ack' && typeof msg.bytes === 'number') ledger.acked += msg.bytes;
    });
  });
  return ledger;
}

/** Opens the lesson, a shell, and starts `yes` in it; returns once the flood is on screen. */
export async function startFlood(page: Page): Promise<ShellTab> {
  await new Workspace(page).open(FLOOD_LESSON);
  const shell = new ShellTab(page);
  await shell.open();
  await shell.type(`yes ${FLOOD_LINE}`);
  await shell.waitFor(new RegExp(`${FLOOD_LINE}\\n${FLOOD_LINE}\\n${FLOOD_LINE}`));
  return shell;
}

/**
 * In the page: the main thread's long tasks, and for each tab click the time
 * from the pointer going down to the first frame painted after the tab
 * changed (what a person sees), measured by the browser's own clock.
 */
export async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; clickToPaint: number[] };
    w.longTasks = [];
    w.clickToPaint = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask' });
    let downAt = 0;
    document.addEventListener('pointerdown', (e) => (downAt = e.timeStamp), true);
    new MutationObserver((records) => {
      if (!downAt) return;
      if (!records.some((r) => (r.target as Element).getAttribute('aria-selected') === 'true')) return;
      const since = downAt;
      downAt = 0;
      requestAnimationFrame(() => setTimeout(() => w.clickToPaint.push(Math.round(performance.now() - since)), 0));
    }).observe(document.querySelector('[role="tablist"]')!, { subtree: true, attributes: true, attributeFilter: ['aria-selected'] });
  });
}

export interface ClickSample {
  /** Playwright's click, until the tab reads as selected: includes the tool's own waiting. */
  clickMs: number[];
  /** The page's own measure: pointer down → the first frame after the change. */
  paintMs: number[];
  longTasks: number[];
}

/** Clicks between the two terminal tabs `n` times while the flood streams; each click must be answered within `timeoutMs`. */
export async function clickTabs(page: Page, n: number, timeoutMs: number): Promise<ClickSample> {
  const clickMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const target = i % 2 === 0 ? 'tab-output' : 'tab-shell';
    const started = Date.now();
    await page.getByTestId(target).click({ timeout: timeoutMs });
    await expect(page.getByTestId(target)).toHaveAttribute('aria-selected', 'true', { timeout: timeoutMs });
    clickMs.push(Date.now() - started);
  }
  // The last paint sample lands a frame after the last change.
  await page.waitForFunction((count) => (window as unknown as { clickToPaint: number[] }).clickToPaint.length >= count, n, { timeout: timeoutMs });
  return page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; clickToPaint: number[] };
    return { clickMs: [], paintMs: w.clickToPaint, longTasks: w.longTasks };
  }).then((s) => ({ ...s, clickMs }));
}
