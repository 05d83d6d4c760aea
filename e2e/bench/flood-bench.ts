/**
 * `npm run bench:ui`: how the lesson page feels while a shell floods it with
 * output (`yes` in an interactive shell, the same flood as the e2e test).
 * Prints, per web build: click latency as Playwright sees it, the page's own
 * pointer-down → painted time, main-thread long tasks, frames per second and
 * the output throughput the page keeps up with.
 *
 *   npm run bench:ui                         the web app in web/dist
 *   npm run bench:ui -- --web-dir A --web-dir B   two builds, alternated in one run (side by side)
 *   --clicks N (default 20), --rounds N (default 2 per build)
 */
import { chromium } from '@playwright/test';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { clickTabs, instrument, startFlood, watchSocket } from '../support/flood.js';
import { OwnServer } from '../support/own-server.js';

const { values } = parseArgs({ options: { 'web-dir': { type: 'string', multiple: true }, clicks: { type: 'string', default: '20' }, rounds: { type: 'string', default: '2' } } });
const webDirs = (values['web-dir'] ?? [resolve('../web/dist')]).map((d) => resolve(process.env.INIT_CWD ?? process.cwd(), d));
const clicks = Number(values.clicks);
const rounds = Number(values.rounds);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};

interface Result {
  clickMs: number[];
  paintMs: number[];
  longTasks: number[];
  fps: number[];
  kibPerSecond: number[];
}

async function measure(baseUrl: string, into: Result): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.JAILLAB_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
    // tsx (esbuild) names functions with a helper the page does not have; Playwright's own runner does not.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    const ledger = watchSocket(page);
    await startFlood(page);
    await instrument(page);
    const startBytes = ledger.received;
    const started = Date.now();
    const fps = page.evaluate(
      () =>
        new Promise<number>((done) => {
          let frames = 0;
          const until = performance.now() + 3000;
          const tick = (): void => {
            frames++;
            if (performance.now() < until) requestAnimationFrame(tick);
            else done(frames / 3);
          };
          requestAnimationFrame(tick);
        }),
    );
    into.fps.push(await fps);
    const s = await clickTabs(page, clicks, 60_000);
    into.kibPerSecond.push((ledger.received - startBytes) / 1024 / ((Date.now() - started) / 1000));
    into.clickMs.push(...s.clickMs);
    into.paintMs.push(...s.paintMs);
    into.longTasks.push(...s.longTasks);
  } finally {
    await browser.close();
  }
}

const row = (label: string, xs: number[], unit = 'ms'): string =>
  `  ${label.padEnd(34)} median ${pct(xs, 50).toFixed(0).padStart(5)} ${unit}   p95 ${pct(xs, 95).toFixed(0).padStart(5)} ${unit}   max ${Math.max(...xs).toFixed(0).padStart(5)} ${unit}`;

async function main(): Promise<void> {
  const results = webDirs.map((): Result => ({ clickMs: [], paintMs: [], longTasks: [], fps: [], kibPerSecond: [] }));
  const servers = webDirs.map((dir, i) => new OwnServer(7960 + i, { JAILLAB_WEB_DIR: dir }));
  try {
    for (const s of servers) await s.start();
    // Alternate the builds round by round, so machine noise falls on both alike.
    for (let r = 0; r < rounds; r++) for (const [i, s] of servers.entries()) await measure(s.url, results[i]!);
  } finally {
    for (const s of servers) {
      await s.stop();
      s.dispose();
    }
  }
  console.log(`\nUI under a shell flood (\`yes\` in the interactive shell), ${rounds} round(s) × ${clicks} tab clicks per build, 1440×900, headless Chromium`);
  for (const [i, dir] of webDirs.entries()) {
    const r = results[i]!;
    console.log(`\nweb build ${dir}`);
    console.log(row('click → tab selected (Playwright)', r.clickMs));
    console.log(row('pointer down → painted (page clock)', r.paintMs));
    console.log(`  long tasks                         ${r.longTasks.length} in all, max ${Math.max(0, ...r.longTasks)} ms, total ${r.longTasks.reduce((a, b) => a + b, 0)} ms`);
    console.log(`  frames per second while flooding   ${r.fps.map((f) => f.toFixed(1)).join(', ')}`);
    console.log(`  output taken by the page           ${r.kibPerSecond.map((k) => `${k.toFixed(0)} KiB/s`).join(', ')}`);
  }
  if (webDirs.length === 2) {
    const [a, b] = results as [Result, Result];
    console.log(`\nratio (second / first), medians: click ${(pct(b.clickMs, 50) / pct(a.clickMs, 50)).toFixed(2)}×, pointer→paint ${(pct(b.paintMs, 50) / pct(a.paintMs, 50)).toFixed(2)}×`);
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
