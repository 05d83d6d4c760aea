import { z } from 'zod';
import { CheckInfo } from './run-events.js';
import { LessonId, ProbeId } from './ids.js';

/**
 * Lesson content is authored as files under lessons/. These schemas are the one
 * description of that content: the server validates with them (a mistake is a
 * hard error naming the file and field), the authoring guide is generated from
 * their .describe() texts, and they export a JSON Schema for editors.
 */

export const Limits = z
  .object({
    wallTimeMs: z.number().int().min(100).max(30_000).describe('wall-clock limit for one check (the jail program and the probe it starts)'),
    memoryBytes: z.number().int().min(8 << 20).max(96 << 20).describe('memory limit for the jail program and everything it starts'),
    processes: z.number().int().min(4).max(256).describe('how many processes the jail program may have at once'),
    outputBytes: z.number().int().min(1024).max(4 << 20).describe('output one check may print before it is stopped'),
  })
  .partial()
  .strict();
export type Limits = z.infer<typeof Limits>;

export const Hint = z
  .object({
    probe: ProbeId.optional().describe('show this hint when this probe escaped (or this service check failed); omit for a general hint'),
    text: z.string().min(1).describe('markdown; short, and a nudge rather than the answer'),
  })
  .strict();
export type Hint = z.infer<typeof Hint>;

/** Settings a chapter's meta.md can set for all its lessons; a lesson's own value wins. */
export const InheritedSettings = z
  .object({
    probes: z.array(ProbeId).describe('escape probes run against the learner\'s jail, in order'),
    services: z.array(ProbeId).describe('service checks: the jailed program must still do its job'),
    limits: Limits,
    supplementaryGroups: z
      .array(z.number().int().min(0).max(65_535))
      .max(16)
      .describe(
        'the supplementary groups the jail program starts with (default: none). [0] is root as a login shell starts it (initgroups: root is a member of group root), so a jail that never calls setgroups() keeps group 0',
      ),
  })
  .partial()
  .strict();

export const ChapterFrontMatter = InheritedSettings.extend({
  title: z.string().min(1).describe('chapter title in the course outline'),
}).strict();
export type ChapterFrontMatter = z.infer<typeof ChapterFrontMatter>;

export const SolutionEscape = z
  .object({
    probe: ProbeId.describe('a probe of this lesson that escapes even its reference solution'),
    closedIn: LessonId.describe('the later lesson that closes it: it runs this probe, and its solution contains it'),
  })
  .strict();
export type SolutionEscape = z.infer<typeof SolutionEscape>;

export const LessonFrontMatter = InheritedSettings.extend({
  title: z.string().min(1).describe('lesson title'),
  summary: z.string().min(1).max(200).describe('one line for the course outline'),
  starterEscapes: z
    .array(ProbeId)
    .describe('the probes that must escape the starter program: lessons:check proves the starter is broken exactly this way'),
  solutionEscapes: z
    .array(SolutionEscape)
    .default([])
    .describe(
      'probes that escape even the reference solution, because this lesson\'s defence does not reach them: shown to the learner as "still open — closed in <lesson>" and not counted against passing; lessons:check proves the solution is escaped by exactly these',
    ),
  hints: z.array(Hint).default([]).describe('progressive hints, in the order they are revealed'),
}).strict();
export type LessonFrontMatter = z.infer<typeof LessonFrontMatter>;

export const ProbeFrontMatter = z
  .object({
    title: z.string().min(1).describe('short name of the technique'),
    kind: z.enum(['escape', 'service']).describe('escape: tries to read /outside/secret; service: does the jail\'s legitimate job'),
    summary: z.string().min(1).max(200).describe('one sentence: what the probe tries'),
    source: z.string().min(1).describe('where the technique comes from, e.g. "TLPI §18.12" or "CERT POS05-C"'),
    accomplice: z
      .string()
      .min(1)
      .optional()
      .describe('what the accomplice (accomplice.c, started as root outside the jail before the check) does; required exactly when the probe has one'),
    accompliceStarts: z
      .enum(['before-program', 'with-probe'])
      .default('before-program')
      .describe(
        'when the accomplice starts. before-program (the default): before the jail program, in the agent\'s own namespaces, to prepare the world the jail is built from or to win a race; the program cannot name it. with-probe: a process the probe must find by its pid (to ptrace it, or through /proc), started in the check\'s namespaces once the genuine probe has started and every other process of the check is held',
      ),
    race: z
      .enum(['jail-path'])
      .optional()
      .describe(
        'a race the accomplice wins on cue instead of by luck. jail-path: the agent traces the jail program and, at a chroot() or pivot_root() through the jail\'s path after an earlier lookup of it, tells the accomplice (its fd 4) and waits until it has swapped the path. Needs an accomplice',
      ),
    linkage: z
      .enum(['static', 'dynamic'])
      .optional()
      .describe(
        'static (the default): a static musl binary that runs in any jail. dynamic: linked against glibc\'s shared libc.so.6, so it runs only in a jail that holds the loader (/lib64/ld-linux-x86-64.so.2) and libc (/lib/x86_64-linux-gnu/libc.so.6), which the guest has outside the jail',
      ),
    plant: z
      .array(z.string().regex(/^\/[A-Za-z0-9._\/-]+$/))
      .default([])
      .describe('paths inside the jail where the agent writes a fresh token before the check; a service check passes when it prints that token'),
  })
  .strict();
export type ProbeFrontMatter = z.infer<typeof ProbeFrontMatter>;

/** What the browser gets for one lesson. The solution is not in it: it is fetched on request. */
export const LessonView = z.object({
  id: LessonId,
  title: z.string(),
  summary: z.string(),
  chapterTitle: z.string(),
  /** The lesson text, rendered from markdown by the server. */
  html: z.string(),
  starter: z.string(),
  /** The starter's file name (e.g. `jail.c`): the server compiles the learner's code under it, so diagnostics name it. */
  starterFileName: z.string(),
  checks: z.array(CheckInfo),
  hints: z.array(Hint),
  previous: LessonId.nullable(),
  next: LessonId.nullable(),
});
export type LessonView = z.infer<typeof LessonView>;

export const CourseOutline = z.object({
  chapters: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      lessons: z.array(z.object({ id: LessonId, title: z.string(), summary: z.string() })),
    }),
  ),
});
export type CourseOutline = z.infer<typeof CourseOutline>;
