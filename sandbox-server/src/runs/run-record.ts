import { createHash } from 'node:crypto';
import type { RunRecord } from '@jaillab/protocol';
import type { Run } from './run.js';

/**
 * A finished run as the store keeps it: its events and each check's output
 * (already bounded per check by the output limit), so the learner's last run
 * shows after a reload or on another device, and an instructor can drop in on
 * it after the live log is gone.
 */
export function runRecordOf(run: Run, solutionShown = false): RunRecord {
  const indexes = [...new Set(run.log.entries.flatMap((e) => (e.kind === 'output' ? [e.checkIndex] : [])))];
  return {
    runId: run.id,
    lessonId: run.lesson.id,
    createdAt: run.createdAt.toISOString(),
    sourceSha256: createHash('sha256').update(run.source).digest('hex'),
    solutionShown,
    events: run.log.events(),
    output: indexes.map((checkIndex) => ({ checkIndex, data: run.log.outputOf(checkIndex).toString('base64') })),
  };
}
