import { z } from 'zod';
import { Accelerator, LessonId, ProbeId, RunId } from './ids.js';
import { Pos05Finding, Pos05Rule } from './pos05.js';
import { CheckTrace } from './trace.js';
import { Verdict } from './verdict.js';

export { Verdict };

/**
 * A run is a stream of these events. The server keeps each run's events in order,
 * so any number of clients (the learner's tabs today, an instructor's dashboard
 * tomorrow) can watch a run from its start. Program output is not here: it travels
 * as binary frames (see output-frame.ts) between these events.
 */

/** escape checks try to read the outside secret; service checks prove the jail still does its job. */
export const CheckKind = z.enum(['escape', 'service']);
export type CheckKind = z.infer<typeof CheckKind>;

export const CheckInfo = z.object({
  index: z.number().int().min(0),
  id: ProbeId,
  kind: CheckKind,
  title: z.string(),
  /** One sentence for learners: what this check tries. */
  summary: z.string(),
  /**
   * Set when this probe escapes even the lesson's reference solution, on purpose: the lesson teaches where its
   * defence ends, and a later lesson closes it. Such a probe escaping is "still open", not a failed run.
   */
  closedIn: z.object({ lesson: LessonId, title: z.string() }).optional(),
});
export type CheckInfo = z.infer<typeof CheckInfo>;

export const Diagnostic = z.object({
  severity: z.enum(['error', 'warning', 'note']),
  message: z.string(),
  /** 1-based, in the learner's source. */
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
  /** The warning flag, e.g. -Wunused-variable, when gcc names one. */
  option: z.string().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;


/** Which limit stopped a program, if any. */
export const LimitKind = z.enum(['time', 'memory', 'processes', 'output']);
export type LimitKind = z.infer<typeof LimitKind>;

export const ExitStatus = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
});
export type ExitStatus = z.infer<typeof ExitStatus>;

/**
 * Where a check's time went, as the guest agent measured it (milliseconds), so
 * a breakdown is never guessed from the host. Absent phases did not happen.
 */
export const CheckPhases = z.object({
  /** Stray processes killed, the baseline restored, a fresh jail, canary and program in place: the three below. */
  prepareMs: z.number(),
  straysMs: z.number(),
  baselineMs: z.number(),
  worldMs: z.number(),
  /** Accomplices started until each said it was ready. */
  accomplicesMs: z.number(),
  /** The check's namespaces and their init made (check_ns.h). */
  namespacesMs: z.number().default(0),
  /** The jail program started → the agent's exec of it done (fork, set-up, exec: before any code of the learner's). */
  programExecMs: z.number().nullable().default(null),
  /** The jail program started → the agent saw the genuine probe exec'd (null: the probe never started). */
  probeStartedMs: z.number().nullable(),
  /** The probe's exec → it was let run: the rest of the check held, the world looked at, with-probe accomplices ready. */
  probeReleasedMs: z.number().nullable().default(null),
  /** The jail program started → a limit's kill (null: no limit was hit). */
  killMs: z.number().nullable(),
  /** The program's processes gone → output drained, groups killed, result sent. */
  drainMs: z.number(),
});
export type CheckPhases = z.infer<typeof CheckPhases>;

/** Where a run's time went on the host (milliseconds), beside the agent's own per-check phases. */
export const RunTimings = z.object({
  /** Waiting for a VM slot (other runs going). */
  queueMs: z.number(),
  /** From asking the pool for a VM to holding one with its agent answering. */
  vmAcquireMs: z.number(),
  /** The job header, lesson tree, probes and accomplices into the VM until the agent had them (while gcc works). */
  stageLessonMs: z.number(),
  /** The compiled program into the VM until the agent had it (after gcc: on the run's critical path). */
  stageProgramMs: z.number(),
  stageBytes: z.number(),
  /** Staged files the template already held (probes, accomplices): named by hash instead of sent. */
  stagedFromTemplate: z.number(),
  /** The compile's wall time, and the CPU time of its passes as gcc reports them (-time); null on a cache hit. */
  compile: z
    .object({ wallMs: z.number(), frontEndCpuMs: z.number(), assembleCpuMs: z.number(), linkCpuMs: z.number() })
    .nullable(),
  checks: z.array(
    z.object({
      index: z.number().int().min(0),
      /** CHECK sent → CHECK_DONE received, as the host saw it. */
      hostMs: z.number(),
      /** hostMs minus the agent's own phases: the wire, and the agent between phases. */
      roundTripMs: z.number(),
      judgeMs: z.number(),
    }),
  ),
});
export type RunTimings = z.infer<typeof RunTimings>;

export const RunOutcome = z.enum(['passed', 'failed', 'compile-error', 'error', 'cancelled']);
export type RunOutcome = z.infer<typeof RunOutcome>;

export const RunEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('created'),
    runId: RunId,
    lessonId: LessonId,
    checks: z.array(CheckInfo),
    createdAt: z.string(),
  }),
  z.object({ type: z.literal('queued'), position: z.number().int().min(0) }),
  z.object({ type: z.literal('compile-started') }),
  z.object({
    type: z.literal('compile-finished'),
    ok: z.boolean(),
    diagnostics: z.array(Diagnostic),
    /** gcc's own text, for the terminal; bounded by the server. */
    text: z.string(),
    durationMs: z.number(),
    cached: z.boolean(),
  }),
  /** `runner`: the runner machine the VM is on, when runs go to remote runners (docs/scaling.md). */
  z.object({ type: z.literal('vm-ready'), accelerator: Accelerator, waitedMs: z.number(), runner: z.string().max(200).optional() }),
  z.object({ type: z.literal('check-started'), index: z.number().int().min(0) }),
  z.object({
    type: z.literal('check-finished'),
    index: z.number().int().min(0),
    verdict: Verdict,
    /** For an escape: what proves it (the line where the secret appeared). */
    evidence: z.string().nullable(),
    /** Why, in a sentence: how it escaped, what stopped it, or what went wrong. */
    reason: z.string(),
    exit: ExitStatus,
    limit: LimitKind.nullable(),
    /** The jail program's run, from its start until every process of it was gone (agent-measured). */
    durationMs: z.number(),
    /** The agent's own timing of the check; absent when the check never reached the VM. */
    phases: CheckPhases.optional(),
  }),
  z.object({ type: z.literal('vm-fault'), message: z.string(), retrying: z.boolean() }),
  /** The escape replay of a check (runs with tracing on), just before its check-finished. */
  z.object({ type: z.literal('check-trace'), index: z.number().int().min(0), trace: CheckTrace }),
  /**
   * The POS05-C checker's findings from that trace, after check-finished. `rules` are the rules checked: those
   * taught up to this run's lesson (a later lesson's rule is not held against a program written before it).
   */
  z.object({ type: z.literal('check-findings'), index: z.number().int().min(0), findings: z.array(Pos05Finding).max(32), rules: z.array(Pos05Rule) }),
  z.object({
    type: z.literal('finished'),
    outcome: RunOutcome,
    message: z.string(),
    /** A pass after the learner had looked at the lesson's solution: it counts as passed with the solution. */
    withSolution: z.boolean().optional(),
    accelerator: Accelerator.nullable(),
    durationMs: z.number(),
    /** For benchmarks and the CLI's --json; the browser does not need it. */
    timings: RunTimings.optional(),
  }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent['type'];
