import type { AttackCodeChoice, Diagnostic, FiredProbe, LessonCheckReport, LibraryProbe, ProbeDraft, ProbeHelper, RunRecord } from '@jaillab/protocol';
import { Requests } from './requests.js';
import type { SocketClient } from './socket-client.js';

export interface ProbeLibraryView {
  header: string;
  helpers: ProbeHelper[];
  probes: LibraryProbe[];
}

/**
 * The probe editor and the room attacks over the socket (instructors), and a
 * student's own results: request and reply, nothing pushed (the dashboard and
 * the member's workshop view carry the live results).
 */
export class AttackClient {
  private readonly requests: Requests;

  constructor(socket: SocketClient) {
    this.requests = new Requests(socket);
  }

  async library(): Promise<ProbeLibraryView> {
    const r = await this.requests.send({ type: 'probe-library-get' }, 'probe-library');
    return { header: r.header, helpers: r.helpers, probes: r.probes };
  }

  async compile(source: string): Promise<{ ok: boolean; diagnostics: Diagnostic[]; text: string }> {
    const r = await this.requests.send({ type: 'probe-compile', source }, 'probe-compiled');
    return { ok: r.ok, diagnostics: r.diagnostics, text: r.text };
  }

  async keep(draft: ProbeDraft, options: { replace: boolean; addTo: { lessonId: string; starterFalls: boolean } | null }): Promise<{ files: string[]; lessonId: string | null }> {
    const r = await this.requests.send({ type: 'probe-keep', draft, replace: options.replace, ...(options.addTo ? { addTo: options.addTo } : {}) }, 'probe-kept');
    return { files: r.files, lessonId: r.lessonId };
  }

  async checkLesson(lessonId: string): Promise<LessonCheckReport> {
    return (await this.requests.send({ type: 'lesson-check', lessonId }, 'lesson-checked')).report;
  }

  async fire(workshopId: string, lessonId: string, probe: FiredProbe, code: AttackCodeChoice, showSource: boolean): Promise<{ attackId: string; students: number }> {
    const r = await this.requests.send({ type: 'attack-fire', workshopId, lessonId, probe, code, showSource }, 'attack-fired');
    return { attackId: r.attackId, students: r.students };
  }

  async showSource(workshopId: string, attackId: string, show: boolean): Promise<void> {
    await this.requests.send({ type: 'attack-show-source', workshopId, attackId, show }, 'attack-source-shown');
  }

  /** One student's run against a fired probe (the instructor names the student; a student gets their own). */
  async record(attackId: string, learnerId?: string): Promise<RunRecord | null> {
    return (await this.requests.send({ type: 'attack-record-get', attackId, ...(learnerId ? { learnerId } : {}) }, 'run-record')).record;
  }
}
