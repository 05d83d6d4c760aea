import type { CheckInfo, Verdict } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import type { CheckFinished } from '../run/run-state.js';
import { clauseText, verdictClauses } from './run-sentence.js';

const probe = (index: number, title: string): CheckInfo => ({ index, id: `probe-${index}`, kind: 'escape', title, summary: 's' });
const service = (index: number): CheckInfo => ({ index, id: 'read-data', kind: 'service', title: 'The service still works', summary: 's' });

function results(verdicts: Verdict[]): CheckFinished[] {
  return verdicts.map((verdict, index) => ({ type: 'check-finished', index, verdict, evidence: null, reason: '', exit: { code: 0, signal: null }, limit: null, durationMs: 1 }));
}

const sentence = (checks: CheckInfo[], verdicts: Verdict[]) => verdictClauses(checks, results(verdicts))?.map(clauseText).join(' ');

describe('the run summary sentence', () => {
  it('names every probe that escaped, by title', () => {
    const checks = [probe(0, 'The working directory left outside'), probe(1, 'A device node for the disk'), probe(2, 'ptrace an outside process'), service(3)];
    expect(sentence(checks, ['contained', 'escaped', 'escaped', 'passed'])).toBe('2 of 3 probes escaped: A device node for the disk, ptrace an outside process.');
  });

  it('names failed service checks and checks that could not be judged, each in a sentence of its own', () => {
    const checks = [probe(0, 'One'), probe(1, 'Two'), service(2)];
    expect(sentence(checks, ['escaped', 'error', 'failed'])).toBe('1 of 2 probes escaped: One. The service check failed: The service still works. 1 check could not be judged: Two.');
  });

  it('never says "all 1 probe" or "1 of 1 probe"', () => {
    expect(sentence([probe(0, 'One'), service(1)], ['contained', 'passed'])).toBe('The probe was contained and the jail still does its job.');
    expect(sentence([probe(0, 'One'), service(1)], ['escaped', 'passed'])).toBe('The probe escaped: One.');
    expect(sentence([probe(0, 'One'), probe(1, 'Two'), service(2)], ['contained', 'contained', 'passed'])).toBe('Both probes were contained and the jail still does its job.');
    expect(sentence([probe(0, 'A'), probe(1, 'B'), probe(2, 'C')], ['contained', 'contained', 'contained'])).toBe('All 3 probes were contained.');
  });

  it('names a probe the lesson leaves open apart, with the lesson that closes it, and does not fail the run for it', () => {
    const open = (index: number, title: string): CheckInfo => ({ ...probe(index, title), closedIn: { lesson: 'beyond-chroot/capabilities', title: 'Root without powers' } });
    const checks = [probe(0, 'One'), probe(1, 'Two'), open(2, 'A core dump handler outside'), open(3, 'A file opened by its handle'), service(4)];
    expect(sentence(checks, ['contained', 'contained', 'escaped', 'escaped', 'passed'])).toBe(
      'Both other probes were contained and the jail still does its job. 2 probes are still open (closed in Root without powers): A core dump handler outside, A file opened by its handle.',
    );
    expect(sentence(checks, ['escaped', 'contained', 'escaped', 'contained', 'passed'])).toBe('1 of 3 probes escaped: One. 1 probe is still open (closed in Root without powers): A core dump handler outside.');
    expect(sentence(checks, ['contained', 'contained', 'contained', 'contained', 'passed'])).toBe('All 4 probes were contained and the jail still does its job.');
  });

  it('counts two unjudged checks in the plural', () => {
    expect(sentence([probe(0, 'A'), probe(1, 'B'), probe(2, 'C')], ['error', 'error', 'contained'])).toBe('2 checks could not be judged: A, B.');
  });

  it('waits for every verdict: a run cut short keeps the server\'s words', () => {
    const checks = [probe(0, 'A'), probe(1, 'B')];
    expect(verdictClauses(checks, results(['escaped']))).toBeNull();
    expect(verdictClauses([], [])).toBeNull();
  });
});
