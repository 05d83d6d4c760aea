import { randomBytes } from 'node:crypto';
import type { AttackCodeChoice, AttackVerdict, FiredProbe } from '@jaillab/protocol';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import type { RunService } from '../runs/run-service.js';
import { runRecordOf } from '../runs/run-record.js';
import type { Store } from '../store/store.js';
import { WorkshopError, type WorkshopService } from '../workshops/workshop-service.js';
import type { AttackStore } from './attack-store.js';
import { attackVerdictOf } from './attack-verdict.js';

export interface RoomAttacksDeps {
  attacks: AttackStore;
  workshops: WorkshopService;
  runs: Pick<RunService, 'startDetached' | 'extraProbeCheck'>;
  catalog: LessonCatalog;
  store: Pick<Store, 'code' | 'passingCode'>;
  log: (line: string) => void;
}

/** What a student without code to fire at is told, by choice. */
const NO_CODE: Record<AttackCodeChoice, string> = {
  latest: 'nothing saved in this lesson yet',
  'last-passing': 'no passing run of this lesson yet',
};

/**
 * An instructor's probe fired at a room: one run per student, against their
 * latest code for the lesson (or the code of their last passing run), each
 * in a fresh VM with the lesson's limits, below every student's own Run in
 * the queue. Each result is kept with its run whole; the dashboard's column
 * and each student's page follow as results come in.
 */
export class RoomAttacks {
  constructor(private readonly deps: RoomAttacksDeps) {}

  async fire(workshopId: string, lessonId: string, fired: FiredProbe, code: AttackCodeChoice, showSource: boolean): Promise<{ attackId: string; students: number }> {
    const { workshops, catalog } = this.deps;
    const w = workshops.store.get(workshopId);
    if (!w) throw new WorkshopError('unknown-workshop', 'there is no such workshop');
    if (w.endedAt) throw new WorkshopError('workshop-ended', 'this workshop has ended');
    const lesson = w.lessons.some((l) => l.id === lessonId) ? catalog.get(lessonId) : undefined;
    if (!lesson) throw new WorkshopError('unknown-lesson', `the lesson "${lessonId}" is not in this workshop`);
    const { check, title, source, explanation } = await this.checkOf(lesson, fired);

    const attackId = `a_${randomBytes(9).toString('base64url')}`;
    const members = workshops.store.members(w.id);
    const targets = members.map((m) => ({ learnerId: m.learnerId, source: code === 'latest' ? (this.deps.store.code(m.learnerId, lesson.id)?.source ?? null) : this.deps.store.passingCode(m.learnerId, lesson.id) }));
    this.deps.attacks.create(
      { id: attackId, workshopId: w.id, lessonId: lesson.id, probeId: check.probe.id, probeTitle: title, probeSource: source, explanation, code, showSource, firedAt: new Date().toISOString() },
      targets.map((t) => ({ learnerId: t.learnerId, verdict: t.source === null ? 'no-code' : 'pending', reason: t.source === null ? NO_CODE[code] : 'waiting for a free VM' })),
    );
    this.deps.log(`workshop ${w.id}: probe ${check.probe.id} fired at ${targets.filter((t) => t.source !== null).length} of ${members.length} students (${lesson.id}, ${code})`);
    for (const t of targets) if (t.source !== null) this.deps.runs.startDetached(t.learnerId, lesson, t.source, [check], (run) => this.finished(w.id, attackId, run), { background: true });
    workshops.changed(w.id);
    for (const t of targets) workshops.memberChanged(t.learnerId);
    return { attackId, students: members.length };
  }

  /** Students see the probe's source with their result, or stop seeing it. */
  showSource(workshopId: string, attackId: string, show: boolean): void {
    const a = this.deps.attacks.get(attackId);
    if (!a || a.workshopId !== workshopId) throw new WorkshopError('unknown-workshop', 'no such probe was fired in this workshop');
    this.deps.attacks.setShowSource(attackId, show);
    this.deps.workshops.changed(workshopId);
    for (const m of this.deps.workshops.store.members(workshopId)) this.deps.workshops.memberChanged(m.learnerId);
  }

  /** The probe as a check of one run, with what students are told of it. */
  private async checkOf(lesson: Lesson, fired: FiredProbe): Promise<{ check: CheckSpec; title: string; source: string; explanation: string }> {
    if ('draft' in fired) {
      const d = fired.draft;
      const check = await this.deps.runs.extraProbeCheck({ name: d.id, title: d.title, source: d.source }, 0);
      return { check, title: d.title, source: d.source, explanation: d.explanation };
    }
    // The lesson's own check if it runs this probe (its accomplice, plants and "closed in" come with it), else the library's.
    const own = lesson.checks.find((c) => c.probe.id === fired.probeId);
    const probe = own?.probe ?? this.deps.catalog.library.probes.get(fired.probeId);
    if (!probe) throw new WorkshopError('unknown-lesson', `there is no probe "${fired.probeId}"`);
    if (probe.meta.kind !== 'escape') throw new WorkshopError('unknown-lesson', `"${fired.probeId}" is a service check, not an escape probe`);
    return { check: { index: 0, kind: 'escape', probe }, title: probe.meta.title, source: probe.source, explanation: probe.meta.summary };
  }

  private finished(workshopId: string, attackId: string, run: Run): void {
    const record = runRecordOf(run);
    const { verdict, reason }: { verdict: AttackVerdict; reason: string } = run.outcome === 'cancelled' ? { verdict: 'error', reason: 'the run was cancelled' } : attackVerdictOf(record.events);
    this.deps.attacks.setResult(attackId, run.learnerId, verdict, reason, record);
    this.deps.workshops.changed(workshopId);
    this.deps.workshops.memberChanged(run.learnerId);
  }
}
