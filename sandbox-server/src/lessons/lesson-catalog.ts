import type { CheckInfo, CourseOutline, LessonView } from '@jaillab/protocol';
import type { Lesson } from './lesson.js';
import { type Course, loadCourse } from './load-lessons.js';
import type { ProbeLibrary } from './probe-library.js';

/** The loaded course, and the views of it the browser gets. */
export class LessonCatalog {
  private constructor(private course: Course) {}

  static async load(lessonsDir: string): Promise<LessonCatalog> {
    return new LessonCatalog(await loadCourse(lessonsDir));
  }

  get library(): ProbeLibrary {
    return this.course.library;
  }

  get lessons(): readonly Lesson[] {
    return this.course.lessons;
  }

  get(id: string): Lesson | undefined {
    return this.course.lessons.find((l) => l.id === id);
  }

  outline(): CourseOutline {
    return {
      chapters: this.course.chapters.map((c) => ({
        id: c.id,
        title: c.title,
        lessons: c.lessonIds.map((id) => {
          const l = this.get(id)!;
          return { id, title: l.meta.title, summary: l.meta.summary };
        }),
      })),
    };
  }

  view(id: string): LessonView | undefined {
    const lesson = this.get(id);
    if (!lesson) return undefined;
    const order = this.course.lessons.map((l) => l.id);
    const at = order.indexOf(id);
    return {
      id,
      title: lesson.meta.title,
      summary: lesson.meta.summary,
      chapterTitle: lesson.chapterTitle,
      html: lesson.html,
      starter: lesson.starter,
      checks: checkInfos(lesson),
      hints: lesson.meta.hints,
      previous: order[at - 1] ?? null,
      next: order[at + 1] ?? null,
    };
  }
}

export function checkInfos(lesson: Lesson): CheckInfo[] {
  return lesson.checks.map((c) => ({ index: c.index, id: c.probe.id, kind: c.kind, title: c.probe.meta.title, summary: c.probe.meta.summary }));
}
