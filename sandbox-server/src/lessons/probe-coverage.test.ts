import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { loadCourse } from './load-lessons.js';

/**
 * lessons:check proves, in real VMs, that each lesson's starter is escaped by
 * its starterEscapes and that its solution contains them. This test makes that
 * proof cover the whole probe library: every escape probe must escape at least
 * one starter (a jail with its weakness) and be contained by at least one
 * solution (a jail without it).
 */
const course = await loadCourse(LESSONS_DIR);

describe('the probe library is covered by the lessons', () => {
  const escapes = [...course.library.probes.values()].filter((p) => p.meta.kind === 'escape').map((p) => p.id);

  it('has every escape the seeds name, and those beyond them', () => {
    expect(escapes.sort()).toEqual(
      ['chroot-again', 'copied-too-much', 'core-pattern', 'cwd-outside', 'fd-passing', 'modprobe-path', 'open-by-handle', 'release-agent', 'hardlink-secret', 'leaked-fd', 'mknod-disk', 'mount-proc', 'path-race', 'proc-root', 'ptrace-outside', 'root-comes-back', 'setuid-binary', 'squatted-jail'].sort(),
    );
  });

  it.each(escapes)('%s escapes some lesson\'s starter and is contained by some solution', (id) => {
    expect(course.lessons.filter((l) => l.meta.starterEscapes.includes(id)).map((l) => l.id)).not.toEqual([]);
    expect(course.lessons.filter((l) => l.checks.some((c) => c.probe.id === id)).map((l) => l.id)).not.toEqual([]);
  });

  it('has at least 12 lessons, and the capstone runs every probe', () => {
    expect(course.lessons.length).toBeGreaterThanOrEqual(12);
    const last = course.lessons.at(-1)!;
    expect(last.checks.filter((c) => c.kind === 'escape').map((c) => c.probe.id).sort()).toEqual([...escapes].sort());
  });
});
