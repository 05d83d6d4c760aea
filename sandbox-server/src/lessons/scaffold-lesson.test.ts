import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { loadCourse } from './load-lessons.js';
import { scaffoldLesson } from './scaffold-lesson.js';

describe('lesson:new', () => {
  it('adds a lesson at the end of the last chapter that loads as it is', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jaillab-scaffold-'));
    await cp(LESSONS_DIR, root, { recursive: true });
    const before = (await loadCourse(root)).lessons.length;
    const dir = await scaffoldLesson(root, 'my-new-lesson');
    expect(dir).toMatch(/05-capstone\/03-my-new-lesson$/);
    const course = await loadCourse(root);
    expect(course.lessons.length).toBe(before + 1);
    expect(course.lessons.at(-1)).toMatchObject({ id: 'capstone/my-new-lesson', meta: { starterEscapes: ['cwd-outside'] } });
  });

  it('refuses a bad slug, an unknown chapter and a duplicate, with the reason', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jaillab-scaffold-'));
    await cp(LESSONS_DIR, root, { recursive: true });
    await expect(scaffoldLesson(root, 'Bad Slug')).rejects.toThrow(/not a slug/);
    await expect(scaffoldLesson(root, 'x', '99-nope')).rejects.toThrow(/no chapter folder "99-nope"/);
    await expect(scaffoldLesson(root, 'a-jail-that-holds')).rejects.toThrow(/already has a lesson/);
  });
});
