import { createHash } from 'node:crypto';
import { CheckKind, RunId } from '@jaillab/protocol';
import { z } from 'zod';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';

/**
 * One run, as an executor needs it: the lesson as it stands (jail tree,
 * checks with their probes' sources, limits), the learner's source, and
 * whether they had seen the solution. Everything is in it — nothing refers to
 * the server's lessons directory — so the same job runs in this process or on
 * a runner on another machine, and a lesson edited meanwhile cannot change a
 * run already under way.
 */
const TreeEntry = z.object({ path: z.string(), kind: z.enum(['file', 'dir', 'symlink']), mode: z.number().int(), data: z.string() });

export const JobCheck = z.object({
  index: z.number().int().min(0),
  kind: CheckKind,
  probe: z.object({
    id: z.string(),
    title: z.string(),
    plant: z.array(z.string()),
    race: z.enum(['jail-path']).nullable(),
    /** How the probe is linked: static musl, or dynamic against the guest world's glibc. */
    linkage: z.enum(['static', 'dynamic']),
    source: z.string(),
    accompliceSource: z.string().nullable(),
    /** When the accomplice starts: before the program (it prepares the world), or with the probe (found by pid). */
    accompliceStarts: z.enum(['before-program', 'with-probe']).default('before-program'),
  }),
  /** A probe this lesson's solution leaves open on purpose, and the later lesson that closes it (else null). */
  closedIn: z.object({ lessonId: z.string(), title: z.string() }).nullable(),
});
export type JobCheck = z.infer<typeof JobCheck>;

export const RunJob = z.object({
  runId: RunId,
  learnerId: z.string(),
  lesson: z.object({
    id: z.string(),
    starterFileName: z.string(),
    limits: z.object({ wallTimeMs: z.number(), memoryBytes: z.number(), processes: z.number(), outputBytes: z.number() }),
    /** The supplementary groups the jail program starts with (the lesson's world). */
    supplementaryGroups: z.array(z.number().int().min(0)),
    /** The jail tree; file data base64. */
    tree: z.array(TreeEntry),
    checks: z.array(JobCheck),
  }),
  /** probe.h, compiled beside every probe. */
  probeHeader: z.string(),
  source: z.string(),
  solutionShown: z.boolean(),
  /** Record every check's escape replay and check it against POS05-C. */
  trace: z.boolean().default(true),
  /** The course around the lesson, for the POS05-C checker: a rule is checked from the lesson that teaches it on. */
  checker: z
    .object({ lessons: z.array(z.object({ id: z.string(), title: z.string() })), at: z.number().int() })
    .default({ lessons: [], at: -1 }),
});
export type RunJob = z.infer<typeof RunJob>;

export interface JobOptions {
  /** Trace the checks (default: yes). */
  trace?: boolean;
  /** The course's lessons in order ({id, title}), for the checker. */
  course?: ReadonlyArray<{ id: string; title: string }>;
}

/** The job for a run of `lesson` with `checks` (the lesson's own, or with an instructor's extra probes after them). */
export function jobFor(run: { id: string; learnerId: string; source: string; solutionShown: boolean }, lesson: Lesson, checks: CheckSpec[], probeHeader: string, opts: JobOptions = {}): RunJob {
  const course = (opts.course ?? []).map((l) => ({ id: l.id, title: l.title }));
  return {
    runId: run.id,
    learnerId: run.learnerId,
    lesson: {
      id: lesson.id,
      starterFileName: lesson.starterFileName,
      limits: lesson.limits,
      supplementaryGroups: lesson.supplementaryGroups,
      tree: lesson.tree.map((e) => ({ path: e.path, kind: e.kind, mode: e.mode, data: e.data.toString('base64') })),
      checks: checks.map((c) => ({
        index: c.index,
        kind: c.kind,
        probe: {
          id: c.probe.id,
          title: c.probe.meta.title,
          plant: c.probe.meta.plant,
          race: c.probe.meta.race ?? null,
          linkage: c.probe.meta.linkage ?? 'static',
          source: c.probe.source,
          accompliceSource: c.probe.accompliceSource,
          accompliceStarts: c.probe.meta.accompliceStarts,
        },
        closedIn: c.closedIn ?? null,
      })),
    },
    probeHeader,
    source: run.source,
    solutionShown: run.solutionShown,
    trace: opts.trace ?? true,
    checker: { lessons: course, at: course.findIndex((l) => l.id === lesson.id) },
  };
}

/** A short, stable name for a job's content (for logs): the same lesson and source give the same digest. */
export const jobDigest = (job: RunJob): string => createHash('sha256').update(JSON.stringify([job.lesson, job.source])).digest('hex').slice(0, 12);
