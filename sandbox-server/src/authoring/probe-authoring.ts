import type { CompileResult } from '../compile/compile-c.js';
import type { LibraryProbe, LessonCheckReport, ProbeDraft, ProbeHelper } from '@jaillab/protocol';
import type { ProbeBuilder } from '../compile/probe-binaries.js';
import { ContentError } from '../lessons/content-error.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { RunService } from '../runs/run-service.js';
import { checkLesson } from './lesson-check.js';
import { writeProbeFiles } from './probe-files.js';
import { KeyedRateLimit } from '../ws/keyed-rate-limit.js';
import { probeHelpers } from './probe-helpers.js';

/** How often a student's probe drafts are compiled at most: a burst, then one every two seconds. */
export const STUDENT_COMPILES = { burst: 6, perSecond: 1 / 2 };

/** Why a probe was not kept: a folder of that name exists, or the loader refused what it would make. */
export class ProbeKeepError extends Error {
  constructor(
    readonly code: 'probe-exists' | 'content-refused' | 'unknown-lesson',
    message: string,
  ) {
    super(message);
  }
}

export interface ProbeAuthoringDeps {
  catalog: LessonCatalog;
  probes: Pick<ProbeBuilder, 'check'>;
  runs: Pick<RunService, 'startDetached'>;
  log: (line: string) => void;
}

/**
 * The probe editor's server side: the library and probe.h's helpers to
 * write against, gcc's diagnostics for a draft, keeping a draft as a probe
 * folder (checked by the loader, like any probe an author writes by hand),
 * and lessons:check for a lesson it was added to.
 */
export class ProbeAuthoring {
  /** One keep at a time: two at once would each undo on top of the other's files. */
  private keeping: Promise<unknown> = Promise.resolve();
  /** A student's editor compiles when typing pauses; more than that is someone using the host's gcc as a service. */
  private readonly studentCompiles = new KeyedRateLimit(STUDENT_COMPILES.perSecond, STUDENT_COMPILES.burst);

  constructor(private readonly deps: ProbeAuthoringDeps) {}

  library(): { header: string; helpers: ProbeHelper[]; probes: LibraryProbe[] } {
    const { header, probes } = this.deps.catalog.library;
    return {
      header,
      helpers: probeHelpers(header),
      probes: [...probes.values()].map((p) => ({ id: p.id, title: p.meta.title, summary: p.meta.summary, kind: p.meta.kind, source: p.source })),
    };
  }

  /** Whether a student (in a break-it round) may have another draft compiled now. */
  mayCompileForStudent(learnerId: string): boolean {
    return this.studentCompiles.take(learnerId);
  }

  compile(source: string): Promise<CompileResult> {
    return this.deps.probes.check(source, this.deps.catalog.library.header);
  }

  keep(draft: ProbeDraft, options: { replace: boolean; addTo: { lessonId: string; starterFalls: boolean } | null }): Promise<{ files: string[]; lessonId: string | null }> {
    const next = this.keeping.then(() => this.keepNow(draft, options));
    this.keeping = next.catch(() => undefined);
    return next;
  }

  private async keepNow(draft: ProbeDraft, options: { replace: boolean; addTo: { lessonId: string; starterFalls: boolean } | null }): Promise<{ files: string[]; lessonId: string | null }> {
    const { catalog } = this.deps;
    if (catalog.library.probes.has(draft.id) && !options.replace) throw new ProbeKeepError('probe-exists', `a probe "${draft.id}" exists already: keep this one under another name, or replace it`);
    const lesson = options.addTo ? catalog.get(options.addTo.lessonId) : null;
    if (options.addTo && !lesson) throw new ProbeKeepError('unknown-lesson', `there is no lesson "${options.addTo.lessonId}"`);
    const compiled = await this.compile(draft.source);
    if (!compiled.ok) throw new ProbeKeepError('content-refused', `probe.c does not compile:\n${compiled.text}`);
    const kept = await writeProbeFiles(catalog.lessonsDir, draft, lesson ? { dir: lesson.dir, starterFalls: options.addTo!.starterFalls } : null);
    try {
      await catalog.reload();
    } catch (e) {
      await kept.undo();
      const problems = e instanceof ContentError ? e.problems.map((p) => p.replace(catalog.lessonsDir, 'lessons')) : [(e as Error).message];
      throw new ProbeKeepError('content-refused', `the lessons loader refused it, so nothing was kept:\n${problems.join('\n')}`);
    }
    this.deps.log(`lessons: probe ${draft.id} kept from the probe editor (${kept.files.join(', ')})`);
    return { files: kept.files, lessonId: lesson?.id ?? null };
  }

  /** lessons:check for one lesson as loaded now. */
  checkLesson(owner: string, lessonId: string): Promise<LessonCheckReport> {
    const lesson = this.deps.catalog.get(lessonId);
    if (!lesson) return Promise.reject(new ProbeKeepError('unknown-lesson', `there is no lesson "${lessonId}"`));
    return checkLesson(this.deps.runs, owner, lesson);
  }
}
