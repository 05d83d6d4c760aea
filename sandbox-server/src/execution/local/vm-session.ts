import type { RunTimings } from '@jaillab/protocol';
import { GuestJob } from '../../vm/guest-job.js';
import type { GuestVm, VmBackend } from '../../vm/vm-backend.js';
import type { RunJob } from '../run-job.js';
import type { ProbeBinary } from '../../compile/probe-binaries.js';
import { lessonFiles, preloadedCount, programFile } from './staging.js';

/**
 * A VM taken for a run, its job begun (clock, entropy, the key its agent signs
 * frames with) and the lesson's files staged: probes, accomplices, the jail
 * tree, and the program once it is compiled. A run has one, or more while
 * spare slots let it spread its checks (execute-run.ts); a shell has one
 * (local-shell-executor.ts).
 */
export interface VmSession {
  vm: GuestVm;
  guest: GuestJob;
}

/** Timings of a session before anything was timed (a run adds its checks' to them). */
export const blankTimings = (): RunTimings => ({ queueMs: 0, vmAcquireMs: 0, stageLessonMs: 0, stageProgramMs: 0, stageBytes: 0, stagedFromTemplate: 0, compile: null, checks: [] });

const since = (t: number): number => Math.round((performance.now() - t) * 10) / 10;

export async function openSession(
  lesson: RunJob['lesson'],
  probes: Map<string, ProbeBinary>,
  backend: VmBackend,
  program: Buffer | null,
  signal: AbortSignal,
  timings: RunTimings,
): Promise<VmSession> {
  const acquiring = performance.now();
  const vm = await backend.acquire(signal);
  timings.vmAcquireMs += since(acquiring);
  if (signal.aborted) {
    void vm.destroy();
    throw new Error('cancelled');
  }
  const guest = new GuestJob(vm);
  try {
    const staging = performance.now();
    await guest.begin();
    const files = lessonFiles(lesson, probes, vm.preloaded);
    timings.stagedFromTemplate += preloadedCount(files);
    timings.stageBytes += guest.stage(files);
    if (program) timings.stageBytes += guest.stage([programFile(program)]);
    await guest.sync();
    timings.stageLessonMs += since(staging);
  } catch (e) {
    await vm.destroy();
    throw e;
  }
  return { vm, guest };
}

/** Stages the compiled program in a session opened while gcc worked. */
export async function stageProgram(session: VmSession, program: Buffer, timings: RunTimings): Promise<void> {
  const staging = performance.now();
  timings.stageBytes += session.guest.stage([programFile(program)]);
  await session.guest.sync();
  timings.stageProgramMs += since(staging);
}
