import type { Pos05Rule } from '@jaillab/protocol';

/**
 * The rules of CERT POS05-C ("Limit access to files by creating a jail") the
 * checker holds a jail program to, each with the lesson that teaches its fix.
 * A run is checked against the rules taught up to its own lesson: lesson 1's
 * solution stays root on purpose (dropping root is the third lesson), and a
 * learner is not faulted for what the course has not shown yet.
 */
export interface RuleInfo {
  rule: Pos05Rule;
  title: string;
  /** The lesson whose fix this is (ids drop the folders' NN- prefixes). */
  lessonId: string;
}

export const RULES: readonly RuleInfo[] = [
  { rule: 'chroot-without-chdir', title: 'chroot() not followed by chdir("/")', lessonId: 'first-jail/a-jail-that-leaks' },
  { rule: 'dir-fd-leak', title: 'A directory descriptor open across chroot() and execve()', lessonId: 'first-jail/leaked-descriptors' },
  { rule: 'root-at-exec', title: 'The untrusted program started as root', lessonId: 'root-in-the-jail/root-chroots-again' },
  { rule: 'setuid-before-setgid', title: 'setuid() before setgid()', lessonId: 'root-in-the-jail/dropping-privileges' },
  { rule: 'groups-kept', title: 'Supplementary groups kept', lessonId: 'root-in-the-jail/dropping-privileges' },
  { rule: 'not-permanent', title: 'Privileges not dropped for good', lessonId: 'root-in-the-jail/dropping-privileges' },
  { rule: 'unchecked-failure', title: 'A failed call the program went on after', lessonId: 'root-in-the-jail/dropping-privileges' },
  { rule: 'device-in-jail', title: 'A device node in the jail', lessonId: 'root-in-the-jail/device-nodes' },
  { rule: 'proc-in-jail', title: 'A /proc in the jail', lessonId: 'root-in-the-jail/what-to-leave-out' },
  { rule: 'setuid-in-jail', title: 'A set-user-ID program in the jail', lessonId: 'root-in-the-jail/what-to-leave-out' },
  { rule: 'hardlink-in-jail', title: 'A hard link to a file outside the jail', lessonId: 'root-in-the-jail/what-to-leave-out' },
  { rule: 'chdir-then-chroot', title: 'chdir(path) then chroot(path): the path looked up twice', lessonId: 'what-chroot-cannot-hide/the-path-race' },
];

export interface CourseLesson {
  id: string;
  title: string;
}

/** The course as the checker needs it: the lessons in order, and which one this run is of. */
export interface CheckerCourse {
  lessons: readonly CourseLesson[];
  /** Index of the run's lesson in `lessons` (-1: not a lesson of the course; every rule is checked). */
  at: number;
}

/** The rules a run of this lesson is checked against, each with its lesson (null when the course has no lesson by that id). */
export function rulesFor(course: CheckerCourse): Array<RuleInfo & { lesson: CourseLesson | null }> {
  return RULES.flatMap((r) => {
    const index = course.lessons.findIndex((l) => l.id === r.lessonId);
    // A rule whose lesson comes later is not held against this run; one whose lesson is unknown always is.
    if (course.at >= 0 && index > course.at) return [];
    return [{ ...r, lesson: index >= 0 ? course.lessons[index]! : null }];
  });
}
