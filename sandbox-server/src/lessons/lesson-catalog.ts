import { type FSWatcher, watch } from 'node:fs';
import type { CheckInfo, CourseOutline, LessonView } from '@jaillab/protocol';
import type { Lesson } from './lesson.js';
import { type Course, loadCourse } from './load-lessons.js';
import type { ProbeLibrary } from './probe-library.js';

/** The loaded course, and the views of it the browser gets. */
export class LessonCatalog {
  private constructor(
    private course: Course,
    readonly lessonsDir: string,
  ) {}

  static async load(lessonsDir: string): Promise<LessonCatalog> {
    return new LessonCatalog(await loadCourse(lessonsDir), lessonsDir);
  }

  /**
   * Reloads the course when a file under lessons/ changes, so an author sees an
   * edit at the next page load. A version with mistakes is not taken: the last
   * good one stays, and the problems (file and field) go to the log.
   * beforeSwap runs on the new course first (the server recompiles probes
   * there); if it throws, the old course stays too. Returns a stop function.
   */
  watch(log: (line: string) => void, beforeSwap?: (course: Course) => Promise<void>): () => void {
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    this.beforeSwap = beforeSwap;
    const reload = async (): Promise<void> => {
      try {
        await this.reload();
        log(`lessons: reloaded (${this.course.lessons.length} lessons)`);
      } catch (e) {
        log(`lessons: not reloaded, keeping the last good version: ${(e as Error).message}`);
      }
    };
    const watcher: FSWatcher = watch(this.lessonsDir, { recursive: true }, () => {
      if (timer) clearTimeout(timer);
      // Editors write a file in several steps: wait for the burst to end, and never reload twice at once.
      timer = setTimeout(() => void (running = running.then(reload)), 150);
    });
    return () => {
      if (timer) clearTimeout(timer);
      watcher.close();
    };
  }

  private beforeSwap: ((course: Course) => Promise<void>) | undefined;

  /**
   * Loads the course again now (an instructor kept a probe from the browser): the new version is taken only
   * if it loads without problems and passes beforeSwap (the probes compile); else this throws the problems
   * and the last good version stays.
   */
  async reload(): Promise<void> {
    const course = await loadCourse(this.lessonsDir);
    await this.beforeSwap?.(course);
    this.course = course;
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
      starterFileName: lesson.starterFileName,
      checks: checkInfos(lesson),
      hints: lesson.meta.hints,
      previous: order[at - 1] ?? null,
      next: order[at + 1] ?? null,
    };
  }
}

export function checkInfos(lesson: Lesson): CheckInfo[] {
  return lesson.checks.map((c) => ({
    index: c.index,
    id: c.probe.id,
    kind: c.kind,
    title: c.probe.meta.title,
    summary: c.probe.meta.summary,
    ...(c.closedIn ? { closedIn: { lesson: c.closedIn.lessonId, title: c.closedIn.title } } : {}),
  }));
}
