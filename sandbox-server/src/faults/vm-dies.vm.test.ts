import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@jaillab/protocol';
import { JailLabClient, type RunResult } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution } from '../../test/lesson-sources.js';
import { startOwnServer } from '../../test/own-server.js';

/**
 * A VM that dies under a run (here: its QEMU process is killed on the host,
 * as an OOM killer or an operator would) costs the run one retry in a fresh
 * VM; a second death is reported. The server runs in this process so the test
 * can find the QEMU that serves the run.
 */
let server: Awaited<ReturnType<typeof startOwnServer>>;
beforeAll(async () => {
  server = await startOwnServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The lesson's solution, slowed down after its first line so there is a moment to strike. */
const slowSolution = firstSolution().replace('const char *jail = argv[1];', 'const char *jail = argv[1];\n  printf("up\\n");\n  fflush(stdout);\n  sleep(2);');

/** Runs the slow solution and kills the QEMU serving it each of the first `kills` times check 0 prints. */
async function runKilling(kills: number): Promise<RunResult & { killed: number[] }> {
  const client = await JailLabClient.connect(server.url);
  const killed: number[] = [];
  try {
    const r = await client.run(FIRST_LESSON, slowSolution, {
      onOutput: (index) => {
        if (index !== 0 || killed.length >= kills) return;
        const [pid] = server.pool!.busyQemuPids();
        if (pid === undefined || killed.includes(pid)) return;
        killed.push(pid);
        process.kill(pid, 'SIGKILL');
      },
    });
    return { ...r, killed };
  } finally {
    client.close();
  }
}

const faults = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'vm-fault' ? [e] : []));

describe('a VM that dies mid-run', () => {
  it('once: the run fails over to a fresh VM and finishes as if nothing happened', async () => {
    const r = await runKilling(1);
    expect(r.killed).toHaveLength(1);
    expect(faults(r.events)).toEqual([{ type: 'vm-fault', retrying: true, message: expect.stringMatching(/QEMU process was killed on the host \(SIGKILL\); running this check again in a fresh VM/) }]);
    expect(r.finished.outcome).toBe('passed');
    expect(server.logs.join('\n')).toMatch(/VM fault during cwd-outside: the VM's QEMU process was killed/);
  });

  it('twice: the run reports it, with the reason, and the server goes on serving', async () => {
    const r = await runKilling(2);
    expect(r.killed).toHaveLength(2);
    expect(faults(r.events).map((f) => f.retrying)).toEqual([true, false]);
    expect(r.finished).toMatchObject({ outcome: 'error', message: expect.stringMatching(/The VM failed twice: the VM's QEMU process was killed on the host/) });
    const checks = r.events.filter((e) => e.type === 'check-finished');
    expect(checks.map((c) => c.type === 'check-finished' && c.verdict)).toEqual(['error', 'error']);
    expect(server.pool!.qemuPids().filter((p) => r.killed.includes(p))).toEqual([]);
    const after = await JailLabClient.connect(server.url);
    expect((await after.run(FIRST_LESSON, firstSolution())).finished.outcome).toBe('passed');
    after.close();
  });
});
