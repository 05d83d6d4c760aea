import { describe, expect, it } from 'vitest';
import { CSV_HEADER, workshopCsv } from './export-csv.js';

describe('the workshop export', () => {
  it('has one row per student and lesson, with first pass, hints and whether the solution came first', () => {
    const csv = workshopCsv({
      members: [
        { workshopId: 'w', learnerId: 'l1', name: 'Ada', joinedAt: 't' },
        { workshopId: 'w', learnerId: 'l2', name: '=cmd|"evil", Bob', joinedAt: 't' },
      ],
      lessons: [{ id: 'a/one', title: 'One' }],
      runs: [
        { learnerId: 'l1', lessonId: 'a/one', createdAt: '2026-12-01T10:00:00.000Z', outcome: 'failed', verdicts: [], solutionShown: false },
        { learnerId: 'l1', lessonId: 'a/one', createdAt: '2026-12-01T10:05:00.000Z', outcome: 'passed', verdicts: [], solutionShown: true },
      ],
      hints: [{ learnerId: 'l1', lessonId: 'a/one', hints: 2 }],
      solutionViews: [],
    });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[1]).toBe('Ada,a/one,yes,2,2026-12-01T10:05:00.000Z,2,yes');
    // A name that a spreadsheet would run as a formula is defused, and quoting holds.
    expect(lines[2]).toBe(`"'=cmd|""evil"", Bob",a/one,no,0,,0,`);
  });
});
