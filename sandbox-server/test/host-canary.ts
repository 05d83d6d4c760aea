import type { Run } from '../src/runs/run.js';

/** Ids of runs whose events or output contain `secret` (output joined per check, so a secret split across chunks counts too). */
export function runsLeakingSecret(runs: Iterable<Run>, secret: string): string[] {
  const needle = Buffer.from(secret);
  const leaks: string[] = [];
  for (const run of runs) {
    const entries = run.log.entries;
    const checks = new Set(entries.flatMap((e) => (e.kind === 'output' ? [e.checkIndex] : [])));
    const inOutput = [...checks].some((i) => run.log.outputOf(i).includes(needle));
    const inEvents = entries.some((e) => e.kind === 'event' && JSON.stringify(e.event).includes(secret));
    if (inOutput || inEvents) leaks.push(run.id);
  }
  return leaks;
}
