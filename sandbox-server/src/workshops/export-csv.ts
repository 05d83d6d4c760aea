import type { AttackColumn } from '@jaillab/protocol';
import type { MemberRow, RunRow } from './workshop-store.js';

/**
 * A CSV field: always quoted (RFC 4180), so no separator inside it splits it, whichever one the reader's
 * locale uses (`,` or `;`, tab); and never a formula a spreadsheet would run: a field that starts with
 * `=`, `+`, `-`, `@`, a tab or a line break gets a leading `'` (OWASP's CSV injection advice).
 */
export function csvField(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r\n]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export interface ExportInput {
  members: MemberRow[];
  lessons: Array<{ id: string; title: string }>;
  runs: RunRow[];
  hints: Array<{ learnerId: string; lessonId: string; hints: number }>;
  solutionViews: Array<{ learnerId: string; lessonId: string; at: string }>;
  /** Probes fired at the room: a column each, filled in the rows of the lesson it was fired in. */
  attacks?: AttackColumn[];
}

export const CSV_HEADER = ['student', 'lesson', 'passed', 'runs', 'first_pass_at', 'hints_used', 'solution_shown_before_passing'];

/** A fired probe's column: its title and when it was fired (the same probe may be fired twice). */
export const attackHeader = (a: Pick<AttackColumn, 'probeTitle' | 'firedAt'>): string => `probe: ${a.probeTitle} (${a.firedAt})`;

/**
 * One row per student and lesson of the workshop: passed (yes/no), runs,
 * when they first passed, hints revealed, and whether they had looked at the
 * solution before passing (yes/no; empty when they have not passed); then a
 * column per probe fired at the room: escaped, contained, no-code, error or
 * pending in that lesson's rows, empty in the others.
 */
export function workshopCsv(input: ExportInput): string {
  const attacks = input.attacks ?? [];
  const rows: string[] = [[...CSV_HEADER, ...attacks.map(attackHeader)].map(csvField).join(',')];
  for (const m of input.members) {
    for (const l of input.lessons) {
      const runs = input.runs.filter((r) => r.learnerId === m.learnerId && r.lessonId === l.id);
      const firstPass = runs.find((r) => r.outcome === 'passed');
      const hints = input.hints.find((h) => h.learnerId === m.learnerId && h.lessonId === l.id)?.hints ?? 0;
      const fired = attacks.map((a) => (a.lessonId === l.id ? (a.results.find((r) => r.learnerId === m.learnerId)?.verdict ?? '') : ''));
      const row = [m.name, l.id, firstPass ? 'yes' : 'no', runs.length, firstPass?.createdAt ?? '', hints, firstPass ? (firstPass.solutionShown ? 'yes' : 'no') : '', ...fired];
      rows.push(row.map(csvField).join(','));
    }
  }
  return rows.join('\r\n') + '\r\n';
}
