import { createHash, randomBytes } from 'node:crypto';
import type { ExtraProbe } from '@jaillab/protocol';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import { checkInfos } from '../lessons/lesson-catalog.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';
import type { ProbeBinary } from './probe-binaries.js';
import { executeRun, Run, type RunDeps } from './run.js';
import { runRecordOf } from './run-record.js';

/** How long a finished run stays watchable (a tab reconnecting, a second tab catching up). */
const KEEP_FINISHED_MS = 10 * 60_000;

export class ProbeCompileError extends Error {}

export interface RunServiceDeps extends RunDeps {
  library: ProbeLibrary;
  probes: Map<string, ProbeBinary>;
  /** After a run ended and was recorded (the workshop dashboards follow it). */
  onFinished?: (run: Run) => void;
}

/**
 * Starts runs and keeps them watchable. A learner has at most one run going:
 * pressing Run again supersedes (cancels) the previous one, which is what the
 * person pressing it means, and keeps one learner from filling the queue.
 */
export class RunService {
  private readonly runs = new Map<string, Run>();
  private readonly running = new Set<Promise<void>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly deps: RunServiceDeps) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  start(learnerId: string, lesson: Lesson, source: string, probes: Map<string, ProbeBinary> = this.deps.probes): Run {
    for (const r of this.runs.values()) if (r.learnerId === learnerId && !r.outcome) r.abort.abort();
    const run = new Run(`r_${randomBytes(9).toString('base64url')}`, learnerId, lesson, source, probes);
    this.runs.set(run.id, run);
    run.log.append({ type: 'created', runId: run.id, lessonId: lesson.id, checks: checkInfos(lesson), createdAt: run.createdAt.toISOString() });
    this.deps.store.recordRun({ id: run.id, learnerId, lessonId: lesson.id, sourceSha256: createHash('sha256').update(source).digest('hex'), createdAt: run.createdAt.toISOString() });
    this.deps.store.saveCode(learnerId, lesson.id, source);
    run.solutionShown = this.deps.store.runSolutionShown(run.id);
    const p = executeRun(run, this.deps)
      .then(() => this.keepRecord(run))
      .finally(() => this.running.delete(p));
    this.running.add(p);
    return run;
  }

  /**
   * An instructor trying new probes against a lesson: they are compiled like
   * library probes (with probe.h) and run after the lesson's own checks.
   */
  async startWithExtraProbes(learnerId: string, lesson: Lesson, source: string, extras: ExtraProbe[]): Promise<Run> {
    const probes = new Map(this.deps.probes);
    const checks: CheckSpec[] = [...lesson.checks];
    for (const extra of extras) {
      const id = `extra-${extra.name}`;
      const compiled = await this.deps.compiler.get({ source: extra.source, fileName: `${extra.name}.c`, extraFiles: { 'probe.h': this.deps.library.header }, libc: 'musl' }, { persist: false });
      if (!compiled.ok || !compiled.binary) throw new ProbeCompileError(`probe ${extra.name} does not compile:\n${compiled.text}`);
      probes.set(id, { probe: compiled.binary, accomplice: null });
      checks.push({
        index: checks.length,
        kind: 'escape',
        probe: { id, meta: { title: extra.name, kind: 'escape', summary: `instructor probe ${extra.name}.c`, source: 'instructor', plant: [] }, html: '', source: extra.source, accompliceSource: null },
      });
    }
    return this.start(learnerId, { ...lesson, checks }, source, probes);
  }

  /** The finished run, whole, as the learner's last run of the lesson: a reload or an instructor sees it later. */
  private keepRecord(run: Run): void {
    if (run.outcome === null || run.outcome === 'cancelled') return;
    try {
      this.deps.store.keepRunRecord(run.learnerId, runRecordOf(run, this.deps.store.runSolutionShown(run.id)));
    } catch (e) {
      this.deps.log(`run ${run.id}: could not keep its record: ${(e as Error).message}`);
    }
    this.deps.onFinished?.(run);
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  /** Every run still kept (running, or finished within the last minutes). */
  all(): IterableIterator<Run> {
    return this.runs.values();
  }

  cancel(id: string): void {
    this.runs.get(id)?.abort.abort();
  }

  /** Cancels every run and waits until each has finished and released its VM. */
  async shutdown(): Promise<void> {
    clearInterval(this.sweeper);
    for (const r of this.runs.values()) r.abort.abort();
    await Promise.all([...this.running]);
  }

  private sweep(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [id, r] of this.runs) if (r.finishedAt !== null && r.finishedAt < cutoff) this.runs.delete(id);
  }
}
