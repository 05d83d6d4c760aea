import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { LessonCatalog } from './lesson-catalog.js';

describe('the lesson catalog reloads when lesson files change', () => {
  it('takes a good edit, keeps the last good version on a bad one and says why', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jaillab-watch-'));
    await cp(LESSONS_DIR, root, { recursive: true });
    const catalog = await LessonCatalog.load(root);
    const lines: string[] = [];
    const stop = catalog.watch((l) => lines.push(l));
    try {
      const md = join(root, '01-first-jail', '01-a-jail-that-leaks', 'lesson.md');
      const text = await readFile(md, 'utf8');
      await writeFile(md, text.replace('title: A jail that leaks', 'title: A jail that leaks (edited)'));
      await expect.poll(() => catalog.view('first-jail/a-jail-that-leaks')?.title, { timeout: 10_000 }).toBe('A jail that leaks (edited)');

      await writeFile(md, text.replace('title: A jail that leaks', 'colour: blue\ntitle: Broken'));
      await expect.poll(() => lines.find((l) => l.includes('not reloaded')), { timeout: 10_000 }).toMatch(/01-a-jail-that-leaks\/lesson\.md: .*colour/);
      expect(catalog.view('first-jail/a-jail-that-leaks')?.title).toBe('A jail that leaks (edited)');
    } finally {
      stop();
    }
  });
});

describe('what the browser is told about a lesson\'s checks', () => {
  it('names, for each probe pivot_root leaves open, the lesson that closes it; the probes it closes carry nothing', async () => {
    const catalog = await LessonCatalog.load(LESSONS_DIR);
    const checks = catalog.view('beyond-chroot/pivot-root')!.checks;
    const open = checks.filter((c) => c.closedIn).map((c) => [c.id, c.closedIn]);
    expect(open).toEqual(
      ['open-by-handle', 'core-pattern', 'modprobe-path', 'release-agent'].map((id) => [id, { lesson: 'beyond-chroot/capabilities', title: 'Root without powers' }]),
    );
    expect(checks.find((c) => c.id === 'chroot-again')?.closedIn).toBeUndefined();
    expect(catalog.view('beyond-chroot/capabilities')!.checks.some((c) => c.closedIn)).toBe(false);
  });
});
