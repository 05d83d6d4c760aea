import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

/**
 * An axe-core audit of the page as it is now, against the WCAG 2.0 and 2.1
 * success criteria at levels A and AA (the rules axe tags with them; its
 * best-practice rules are left out: they are not WCAG). A serious or
 * critical violation fails the test; every audit's counts go into a list
 * the spec prints and attaches, so a run says what was audited.
 */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

/** One audited state: its name, the page's address, how many rules passed, and the violations by impact. */
export interface AuditRecord {
  state: string;
  url: string;
  passes: number;
  violations: Array<{ rule: string; impact: string; nodes: number; targets: string[] }>;
}

/** Every audit of this worker process, in the order they ran. */
export const audited: AuditRecord[] = [];

/**
 * Audits the whole page (and any open dialog in it). Set `JAILLAB_AXE_REPORT=1`
 * to let a blocking violation through and only list it (for measuring a build
 * before a fix); otherwise it fails the test with the nodes it found.
 */
export async function audit(page: Page, state: string): Promise<AuditRecord> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const record: AuditRecord = {
    state,
    url: new URL(page.url()).pathname,
    passes: results.passes.length,
    violations: results.violations.map((v) => ({ rule: v.id, impact: v.impact ?? 'unknown', nodes: v.nodes.length, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) })),
  };
  audited.push(record);
  test.info().annotations.push({ type: 'axe', description: describeRecord(record) });
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  const detail = blocking.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`).join('\n');
  if (process.env.JAILLAB_AXE_REPORT !== '1') expect(blocking, `${state}: serious or critical WCAG violations\n${detail}`).toEqual([]);
  return record;
}

export function describeRecord(r: AuditRecord): string {
  const v = r.violations.length === 0 ? 'no violations' : r.violations.map((x) => `${x.rule} (${x.impact}, ${x.nodes}: ${x.targets.join(' | ')})`).join(', ');
  return `${r.state} [${r.url}]: ${r.passes} rules passed; ${v}`;
}

/** The list of what was audited, one line per state, for the console and the report. */
export function auditListing(records: readonly AuditRecord[]): string {
  return [`axe-core audit (${WCAG_TAGS.join(', ')}) of ${records.length} states:`, ...records.map((r) => `  - ${describeRecord(r)}`)].join('\n');
}
