import type { CheckInfo } from '@jaillab/protocol';
import type { CheckFinished } from '../run/run-state.js';
import { plural } from '../text/plural.js';

/** One sentence of the run's summary: its words, and the checks it names (the ones that went wrong). */
export interface SummaryClause {
  text: string;
  checks: CheckInfo[];
}

/**
 * The run's result in words that name what went wrong: "5 of 12 probes
 * escaped: A device node for the disk, …". Built here from the verdicts
 * because the server's `finished` message only counts (the terminal shows
 * that one). Null until every check has its verdict: a run cut short keeps
 * the server's own words.
 */
export function verdictClauses(checks: readonly CheckInfo[], results: ReadonlyArray<CheckFinished | undefined>): SummaryClause[] | null {
  if (checks.length === 0 || checks.some((c) => !results[c.index])) return null;
  const verdictOf = (c: CheckInfo) => results[c.index]!.verdict;
  const probes = checks.filter((c) => c.kind === 'escape' && !(c.closedIn && verdictOf(c) === 'escaped'));
  const services = checks.filter((c) => c.kind === 'service');
  // A probe the lesson leaves open on purpose is named apart: it is where the lesson's defence ends, not a mistake.
  const stillOpen = checks.filter((c) => verdictOf(c) === 'escaped' && c.closedIn);
  const escaped = checks.filter((c) => verdictOf(c) === 'escaped' && !c.closedIn);
  const failed = checks.filter((c) => verdictOf(c) === 'failed');
  const unjudged = checks.filter((c) => verdictOf(c) === 'error');

  const open: SummaryClause[] = stillOpen.length
    ? [{ text: `${stillOpen.length === 1 ? '1 probe is' : `${stillOpen.length} probes are`} still open (closed in ${[...new Set(stillOpen.map((c) => c.closedIn!.title))].join(', ')})`, checks: stillOpen }]
    : [];
  if (escaped.length + failed.length + unjudged.length === 0) {
    const other = stillOpen.length ? ' other' : '';
    const contained = probes.length === 0 ? null : probes.length === 1 ? `The${other} probe was contained` : probes.length === 2 ? `Both${other} probes were contained` : `All ${probes.length}${other} probes were contained`;
    const text = contained === null ? 'The jail still does its job' : services.length > 0 ? `${contained} and the jail still does its job` : contained;
    return [{ text, checks: [] }, ...open];
  }
  const clauses: SummaryClause[] = [];
  if (escaped.length) clauses.push({ text: probes.length === 1 ? 'The probe escaped' : `${escaped.length} of ${plural(probes.length, 'probe')} escaped`, checks: escaped });
  if (failed.length) clauses.push({ text: services.length === 1 ? 'The service check failed' : `${failed.length} of ${plural(services.length, 'service check')} failed`, checks: failed });
  if (unjudged.length) clauses.push({ text: `${plural(unjudged.length, 'check')} could not be judged`, checks: unjudged });
  return [...clauses, ...open];
}

/** A clause as plain text, as it reads on screen. */
export function clauseText(clause: SummaryClause): string {
  return clause.checks.length === 0 ? `${clause.text}.` : `${clause.text}: ${clause.checks.map((c) => c.title).join(', ')}.`;
}
