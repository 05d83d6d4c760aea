import type { ShellCloseReason } from '@jaillab/protocol';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIRST_LESSON } from '../../test/lesson-sources.js';
import type { OpenedShell, ShellExecutor, ShellSink } from '../execution/shell-executor.js';
import type { ShellJob } from '../execution/shell-job.js';
import { loadConfig } from '../config/config.js';
import { LessonCatalog } from '../lessons/lesson-catalog.js';
import { RunQueue } from '../runs/run-queue.js';
import { ShellsBusyError, ShellService } from './shell-service.js';

/**
 * The shells' policy, whatever executor runs them: one shell per learner, a
 * VM slot kept for runs, idle shells closed, and an end the executor reports
 * reaches the page once. The executor is a stand-in that records what it was
 * asked; real VMs are shell.vm.test.ts's, runners remote-shell.test.ts's.
 */
class StandIn implements ShellExecutor {
  readonly jobs: ShellJob[] = [];
  readonly sinks: ShellSink[] = [];
  readonly closed: string[] = [];
  readonly typed: string[] = [];
  async open(job: ShellJob, sink: ShellSink): Promise<OpenedShell> {
    this.jobs.push(job);
    this.sinks.push(sink);
    return {
      accelerator: 'tcg',
      where: 'stand-in',
      input: (d) => void this.typed.push(d.toString()),
      resize: () => undefined,
      close: () => void this.closed.push(job.shellId),
    };
  }
}

let catalog: LessonCatalog;
beforeAll(async () => {
  catalog = await LessonCatalog.load(loadConfig().lessonsDir);
});
afterEach(() => vi.useRealTimers());

function setup(maxShells = 2, idleTimeoutMs = 60_000) {
  const executor = new StandIn();
  const service = new ShellService({ executor, queue: new RunQueue(maxShells + 1), library: () => catalog.library, idleTimeoutMs, maxShells, log: () => undefined });
  const ends: Array<{ learner: string; reason: ShellCloseReason }> = [];
  const open = (learner: string) =>
    service.open(learner, catalog.get(FIRST_LESSON)!, 'int main(void) { return 0; }', { cols: 80, rows: 24 }, { output: () => undefined, closed: (reason) => void ends.push({ learner, reason }) }, () => undefined, new AbortController().signal);
  return { executor, service, ends, open };
}

describe('the shell service', () => {
  it('gives the executor the lesson as it stands, with its groups and the terminal size', async () => {
    const t = setup();
    await t.open('a');
    const [job] = t.executor.jobs;
    expect(job).toMatchObject({ learnerId: 'a', cols: 80, rows: 24, lesson: { id: FIRST_LESSON, supplementaryGroups: catalog.get(FIRST_LESSON)!.supplementaryGroups } });
    expect(job!.lesson.checks.length).toBe(catalog.get(FIRST_LESSON)!.checks.length);
    expect(job!.shellId).toMatch(/^shell-[0-9a-f]{24}$/);
  });

  it('closes a learner\'s first shell when they open a second, and refuses a shell beyond the limit', async () => {
    const t = setup(2);
    const first = await t.open('a');
    await t.open('a');
    expect(first.isClosed).toBe(true);
    expect(t.ends).toEqual([{ learner: 'a', reason: 'replaced' }]);
    expect(t.executor.closed).toEqual([t.executor.jobs[0]!.shellId]);
    await t.open('b');
    await expect(t.open('c')).rejects.toThrow(ShellsBusyError);
  });

  it('closes a shell nobody typed into for the idle timeout; typing keeps it open', async () => {
    vi.useFakeTimers();
    const t = setup(2, 10_000);
    const shell = await t.open('a');
    vi.advanceTimersByTime(9_000);
    shell.input('ls\n');
    vi.advanceTimersByTime(9_000);
    expect(shell.isClosed).toBe(false);
    expect(t.executor.typed).toEqual(['ls\n']);
    vi.advanceTimersByTime(1_001);
    expect(t.ends).toEqual([{ learner: 'a', reason: 'idle' }]);
    expect(t.executor.closed).toHaveLength(1);
  });

  it('passes an end the executor reports on once, frees its slot, and closes nothing more', async () => {
    const t = setup(1);
    const shell = await t.open('a');
    t.executor.sinks[0]!.ended('exited', 'The shell exited (status 0).');
    shell.close('closed', 'You closed the shell.');
    expect(t.ends).toEqual([{ learner: 'a', reason: 'exited' }]);
    expect(t.executor.closed).toEqual([]);
    await t.open('b');
  });
});
