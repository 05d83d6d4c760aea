import { Pos05Rule } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../../test/lesson-sources.js';
import { loadCourse } from '../../lessons/load-lessons.js';
import { RULES, rulesFor } from './rules.js';

describe('the POS05-C rules and the course', () => {
  it('every rule is listed once, and links to a lesson the course has', async () => {
    const course = await loadCourse(LESSONS_DIR);
    const ids = new Set(course.lessons.map((l) => l.id));
    expect(RULES.map((r) => r.rule).sort()).toEqual([...Pos05Rule.options].sort());
    expect(RULES.filter((r) => !ids.has(r.lessonId)).map((r) => `${r.rule} → ${r.lessonId}`)).toEqual([]);
  });

  it('a run is checked against the rules taught up to its lesson; outside the course, against all', async () => {
    const lessons = (await loadCourse(LESSONS_DIR)).lessons.map((l) => ({ id: l.id, title: l.meta.title }));
    expect(rulesFor({ lessons, at: 0 }).map((r) => r.rule)).toEqual(['chroot-without-chdir']);
    expect(rulesFor({ lessons, at: 1 }).map((r) => r.rule)).toEqual(['chroot-without-chdir', 'dir-fd-leak']);
    expect(rulesFor({ lessons, at: lessons.length - 1 })).toHaveLength(RULES.length);
    expect(rulesFor({ lessons, at: -1 })).toHaveLength(RULES.length);
  });
});
