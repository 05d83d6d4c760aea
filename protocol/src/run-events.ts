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
 * What each schema and field is says its .describe(); comments say why.
 */

export const CheckKind = z
  .enum(['escape', 'service'])
  .describe('escape: the check tries to read the outside secret; service: it proves the jail still does its job');
export type CheckKind = z.infer<typeof CheckKind>;

export const CheckInfo = z
  .object({
    index: z.number().int().min(0).describe('the check\'s position in the run, from 0'),
    id: ProbeId.describe('the probe this check runs'),
    kind: CheckKind,
    title: z.string().describe('short name of the check'),
    summary: z.string().describe('one sentence for learners: what this check tries'),
    // On purpose: the lesson teaches where its defence ends, and a later lesson closes it.
    closedIn: z
      .object({ lesson: LessonId.describe('the later lesson that closes it'), title: z.string().describe('that lesson\'s title') })
      .optional()
      .describe('set when this probe escapes even the lesson\'s reference solution: such an escape is "still open", not a failed run'),
  })
  .describe('one check of a run, as announced before it starts');
export type CheckInfo = z.infer<typeof CheckInfo>;

export const Diagnostic = z
  .object({
    severity: z.enum(['error', 'warning', 'note']).describe('how serious gcc says it is'),
    message: z.string().describe('gcc\'s message'),
    line: z.number().int().min(1).describe('first line, 1-based, in the learner\'s source'),
    column: z.number().int().min(1).describe('first column, 1-based'),
    endLine: z.number().int().min(1).describe('last line, 1-based'),
    endColumn: z.number().int().min(1).describe('last column, 1-based'),
    option: z.string().optional().describe('the warning flag, e.g. -Wunused-variable, when gcc names one'),
  })
  .describe('one compiler diagnostic in the learner\'s source');
export type Diagnostic = z.infer<typeof Diagnostic>;


export const LimitKind = z.enum(['time', 'memory', 'processes', 'output']).describe('which limit stopped a program');
export type LimitKind = z.infer<typeof LimitKind>;

export const ExitStatus = z
  .object({
    code: z.number().int().nullable().describe('the exit code (null when a signal ended it)'),
    signal: z.string().nullable().describe('the signal that ended it, e.g. SIGKILL (null when it exited)'),
  })
  .describe('how the jail program ended');
export type ExitStatus = z.infer<typeof ExitStatus>;

// Measured by the guest agent so that a breakdown is never guessed from the host.
export const CheckPhases = z
  .object({
    prepareMs: z.number().describe('stray processes killed, the baseline restored, a fresh jail, canary and program in place: the three below'),
    straysMs: z.number().describe('stray processes of the last check killed'),
    baselineMs: z.number().describe('the baseline filesystem restored'),
    worldMs: z.number().describe('a fresh jail with its canary and program made'),
    accomplicesMs: z.number().describe('accomplices started until each said it was ready'),
    namespacesMs: z.number().default(0).describe('the check\'s namespaces and their init made (check_ns.h)'),
    programExecMs: z
      .number()
      .nullable()
      .default(null)
      .describe('the jail program started → the agent\'s exec of it done (fork, set-up, exec: before any code of the learner\'s)'),
    probeStartedMs: z.number().nullable().describe('the jail program started → the agent saw the genuine probe exec\'d (null: the probe never started)'),
    probeReleasedMs: z
      .number()
      .nullable()
      .default(null)
      .describe('the probe\'s exec → it was let run: the rest of the check held, the world looked at, with-probe accomplices ready'),
    killMs: z.number().nullable().describe('the jail program started → a limit\'s kill (null: no limit was hit)'),
    drainMs: z.number().describe('the program\'s processes gone → output drained, groups killed, result sent'),
  })
  .describe('where a check\'s time went, as the guest agent measured it (milliseconds); absent phases did not happen');
export type CheckPhases = z.infer<typeof CheckPhases>;

export const RunTimings = z
  .object({
    queueMs: z.number().describe('waiting for a VM slot (other runs going)'),
    vmAcquireMs: z.number().describe('from asking the pool for a VM to holding one with its agent answering'),
    stageLessonMs: z.number().describe('the job header, lesson tree, probes and accomplices into the VM until the agent had them (while gcc works)'),
    stageProgramMs: z.number().describe('the compiled program into the VM until the agent had it (after gcc: on the run\'s critical path)'),
    stageBytes: z.number().describe('bytes staged into the VM'),
    stagedFromTemplate: z.number().describe('staged files the template already held (probes, accomplices): named by hash instead of sent'),
    compile: z
      .object({
        wallMs: z.number().describe('the compile\'s wall time'),
        frontEndCpuMs: z.number().describe('CPU time of gcc\'s front end (-time)'),
        assembleCpuMs: z.number().describe('CPU time of the assembler (-time)'),
        linkCpuMs: z.number().describe('CPU time of the linker (-time)'),
      })
      .nullable()
      .describe('the compile\'s wall time, and the CPU time of its passes as gcc reports them; null on a cache hit'),
    checks: z
      .array(
        z
          .object({
            index: z.number().int().min(0).describe('the check\'s position in the run'),
            hostMs: z.number().describe('CHECK sent → CHECK_DONE received, as the host saw it'),
            roundTripMs: z.number().describe('hostMs minus the agent\'s own phases: the wire, and the agent between phases'),
            judgeMs: z.number().describe('the host judging the check\'s result'),
          })
          .describe('one check\'s time on the host'),
      )
      .describe('each check\'s time on the host'),
  })
  .describe('where a run\'s time went on the host (milliseconds), beside the agent\'s own per-check phases');
export type RunTimings = z.infer<typeof RunTimings>;

export const RunOutcome = z.enum(['passed', 'failed', 'compile-error', 'error', 'cancelled']).describe('how a run ended');
export type RunOutcome = z.infer<typeof RunOutcome>;

const CheckIndex = z.number().int().min(0).describe('which check of the run (CheckInfo.index)');

export const RunEvent = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('created').describe('event type'),
        runId: RunId.describe('the run'),
        lessonId: LessonId.describe('the lesson the run checks'),
        checks: z.array(CheckInfo).describe('the checks the run will make, in order'),
        createdAt: z.string().describe('when the run was created (ISO 8601)'),
      })
      .describe('the run exists: always its first event'),
    z
      .object({ type: z.literal('queued').describe('event type'), position: z.number().int().min(0).describe('runs ahead of this one') })
      .describe('the run waits for a VM slot'),
    z.object({ type: z.literal('compile-started').describe('event type') }).describe('gcc started on the learner\'s source'),
    z
      .object({
        type: z.literal('compile-finished').describe('event type'),
        ok: z.boolean().describe('a program was built'),
        diagnostics: z.array(Diagnostic).describe('gcc\'s diagnostics, parsed'),
        text: z.string().describe('gcc\'s own text, for the terminal; bounded by the server'),
        durationMs: z.number().describe('how long the compile took'),
        cached: z.boolean().describe('the program came from the compile cache'),
      })
      .describe('gcc finished'),
    z
      .object({
        type: z.literal('vm-ready').describe('event type'),
        accelerator: Accelerator,
        waitedMs: z.number().describe('how long the run waited for the VM'),
        runner: z.string().max(200).optional().describe('the runner machine the VM is on, when runs go to remote runners (docs/scaling.md)'),
      })
      .describe('a VM is held for the run'),
    z.object({ type: z.literal('check-started').describe('event type'), index: CheckIndex }).describe('a check started in the VM'),
    z
      .object({
        type: z.literal('check-finished').describe('event type'),
        index: CheckIndex,
        verdict: Verdict,
        evidence: z.string().nullable().describe('for an escape: what proves it (the line where the secret appeared)'),
        reason: z.string().describe('why, in a sentence: how it escaped, what stopped it, or what went wrong'),
        exit: ExitStatus,
        limit: LimitKind.nullable().describe('which limit stopped the program (null: none)'),
        durationMs: z.number().describe('the jail program\'s run, from its start until every process of it was gone (agent-measured)'),
        phases: CheckPhases.optional().describe('the agent\'s own timing of the check; absent when the check never reached the VM'),
      })
      .describe('a check was judged'),
    z
      .object({
        type: z.literal('vm-fault').describe('event type'),
        message: z.string().describe('what went wrong with the VM'),
        retrying: z.boolean().describe('the run goes on in another VM'),
      })
      .describe('the VM failed under the run'),
    // Runs with tracing on; sent just before the check's check-finished.
    z
      .object({ type: z.literal('check-trace').describe('event type'), index: CheckIndex, trace: CheckTrace })
      .describe('the escape replay of a check'),
    // A later lesson's rule is not held against a program written before it, hence `rules`.
    z
      .object({
        type: z.literal('check-findings').describe('event type'),
        index: CheckIndex,
        findings: z.array(Pos05Finding).max(32).describe('what the program did that breaks a rule'),
        rules: z.array(Pos05Rule).describe('the rules checked: those taught up to this run\'s lesson'),
      })
      .describe('the POS05-C checker\'s findings from a check\'s trace, after its check-finished'),
    z
      .object({
        type: z.literal('finished').describe('event type'),
        outcome: RunOutcome,
        message: z.string().describe('the outcome in a sentence, for the learner'),
        withSolution: z
          .boolean()
          .optional()
          .describe('a pass after the learner had looked at the lesson\'s solution: it counts as passed with the solution'),
        accelerator: Accelerator.nullable().describe('the accelerator the run\'s VM used (null: not known, e.g. the run never had a VM)'),
        durationMs: z.number().describe('the run\'s whole time'),
        // The browser does not need it.
        timings: RunTimings.optional().describe('where the time went on the host, for benchmarks and the CLI\'s --json'),
      })
      .describe('the run ended: always its last event'),
  ])
  .describe('one event of a run, in the order the server keeps them');
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent['type'];
