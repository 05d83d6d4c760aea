import type { RunEvent } from '@jaillab/protocol';
import type { RunResult } from '../client/jaillab-client.js';

/** The `--json` document: one object with everything an instructor's script needs. */
export function runReport(r: RunResult): unknown {
  const created = r.events.find((e): e is Extract<RunEvent, { type: 'created' }> => e.type === 'created');
  const compile = r.events.find((e): e is Extract<RunEvent, { type: 'compile-finished' }> => e.type === 'compile-finished');
  const finishedChecks = r.events.filter((e): e is Extract<RunEvent, { type: 'check-finished' }> => e.type === 'check-finished');
  const traces = r.events.filter((e): e is Extract<RunEvent, { type: 'check-trace' }> => e.type === 'check-trace');
  const findings = r.events.filter((e): e is Extract<RunEvent, { type: 'check-findings' }> => e.type === 'check-findings');
  return {
    runId: r.runId,
    outcome: r.finished.outcome,
    message: r.finished.message,
    accelerator: r.finished.accelerator,
    durationMs: r.finished.durationMs,
    compile: compile ? { ok: compile.ok, diagnostics: compile.diagnostics, text: compile.text, durationMs: compile.durationMs } : null,
    checks: (created?.checks ?? []).map((c) => {
      const f = finishedChecks.find((e) => e.index === c.index);
      return {
        id: c.id,
        kind: c.kind,
        verdict: f?.verdict ?? null,
        evidence: f?.evidence ?? null,
        reason: f?.reason ?? null,
        exit: f?.exit ?? null,
        limit: f?.limit ?? null,
        durationMs: f?.durationMs ?? null,
        output: (r.output.get(c.index) ?? Buffer.alloc(0)).toString('utf8'),
        // The escape replay and the POS05-C findings, as the events carry them (null: the run was not traced).
        trace: traces.find((e) => e.index === c.index)?.trace ?? null,
        pos05: findings.find((e) => e.index === c.index)?.findings ?? null,
      };
    }),
    vmFaults: r.events.flatMap((e) => (e.type === 'vm-fault' ? [e.message] : [])),
  };
}
