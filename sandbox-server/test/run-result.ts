import type { RunEvent } from '@jaillab/protocol';
import type { RunResult } from '../src/client/jaillab-client.js';

export type CheckFinished = Extract<RunEvent, { type: 'check-finished' }>;

/** The check-finished event of the check with this probe id. */
export function checkResult(r: RunResult, probeId: string): CheckFinished & { output: string } {
  const created = r.events.find((e): e is Extract<RunEvent, { type: 'created' }> => e.type === 'created');
  const info = created?.checks.find((c) => c.id === probeId);
  if (!info) throw new Error(`no check ${probeId} in this run`);
  const done = r.events.filter((e): e is CheckFinished => e.type === 'check-finished').find((e) => e.index === info.index);
  if (!done) throw new Error(`check ${probeId} did not finish: ${JSON.stringify(r.events.slice(-3))}`);
  return { ...done, output: (r.output.get(info.index) ?? Buffer.alloc(0)).toString('utf8') };
}
