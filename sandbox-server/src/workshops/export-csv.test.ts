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
    expect(lines[0]).toBe(CSV_HEADER.map((h) => `"${h}"`).join(','));
    expect(lines[1]).toBe('"Ada","a/one","yes","2","2026-12-01T10:05:00.000Z","2","yes"');
    // A name that a spreadsheet would run as a formula is defused, and quoting holds.
    expect(lines[2]).toBe(`"'=cmd|""evil"", Bob","a/one","no","0","","0",""`);
  });

  it('issue 25 #4: a formula behind a ";" stays inside its quoted field, whatever separator the spreadsheet splits on', () => {
    const csv = workshopCsv({ members: [{ workshopId: 'w', learnerId: 'l1', name: "x;=cmd|'/C calc'!A0", joinedAt: 't' }, { workshopId: 'w', learnerId: 'l2', name: '@SUM(1+1)', joinedAt: 't' }], lessons: [{ id: 'a/one', title: 'One' }], runs: [], hints: [], solutionViews: [] });
    const [, first, second] = csv.trimEnd().split('\r\n');
    expect(first).toBe(`"x;=cmd|'/C calc'!A0","a/one","no","0","","0",""`);
    expect(second!.startsWith(`"'@SUM`)).toBe(true);
    // Split the way a ';' locale does, honouring quotes: no cell starts with a formula character.
    for (const line of [first!, second!]) {
      const cells = line.match(/"(?:[^"]|"")*"/g)!.map((c) => c.slice(1, -1));
      expect(cells.join(',')).not.toMatch(/(^|,)[=+\-@]/);
    }
  });
});
