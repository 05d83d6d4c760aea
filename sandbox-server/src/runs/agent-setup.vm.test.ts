import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { programThat } from '../../test/lesson-sources.js';
import { checkResult } from '../../test/run-result.js';
import { runProgram } from '../../test/run-program.js';

/**
 * The guest agent's set-up of the processes it starts, checked call by call:
 * a child it cannot put in its cgroup never runs (the check says why instead
 * of going on without its limits or its accomplice), and the wait after a
 * limit's kill is counted from the kill.
 */
const CAPSTONE = 'capstone/a-jail-that-holds';

describe('the guest agent sets up what it starts, or says why not', () => {
  it('an accomplice that cannot enter its cgroup ends its check as an error with the reason', async () => {
    // Root in the VM sabotages the accomplices' cgroup: a child group with a controller enabled below it,
    // so no process may join the group itself (cgroup v2's no-internal-process rule). The agent used to
    // start the accomplice anyway, outside any limit; now the check reports what failed.
    const sabotage = programThat(
      `mkdir("/sys/fs/cgroup/accomplices", 0755); mkdir("/sys/fs/cgroup/accomplices/x", 0755);
       char pid[16]; snprintf(pid, sizeof pid, "%d", getpid());
       int fd = open("/sys/fs/cgroup/accomplices/x/cgroup.procs", O_WRONLY); if (fd >= 0) { write(fd, pid, strlen(pid)); close(fd); }
       fd = open("/sys/fs/cgroup/accomplices/cgroup.subtree_control", O_WRONLY); if (fd >= 0) { write(fd, "+memory", 7); close(fd); }
       if (chroot(argv[1]) == 0 && chdir("/") == 0) execv(argv[2], &argv[2]);`,
      '#include <fcntl.h>\n#include <sys/stat.h>',
    );
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const r = await client.run(CAPSTONE, sabotage);
      const c = checkResult(r, 'root-comes-back');
      expect(c.verdict).toBe('error');
      expect(c.reason).toMatch(/accomplice of root-comes-back could not start: jaillab: could not apply limits \(cgroup accomplices\)/);
    } finally {
      client.close();
    }
  });

  it('after an early kill the agent waits a moment for the group, not for the rest of the wall limit', async () => {
    // A child floods output (the agent kills the check's group at the output limit, within a second) while the
    // program itself leaves the group and sleeps: it survives the kill. The agent gives up on it two seconds
    // after the kill; it used to wait until two seconds past the wall limit (5 s), whenever the kill came.
    const r = await runProgram(
      programThat(
        `if (fork() == 0) { static char line[65536]; memset(line, 'x', sizeof line); for (;;) fwrite(line, 1, sizeof line, stdout); }
         int fd = open("/sys/fs/cgroup/cgroup.procs", O_WRONLY); char pid[16]; snprintf(pid, sizeof pid, "%d", getpid());
         if (fd >= 0) { write(fd, pid, strlen(pid)); close(fd); }
         for (;;) pause();`,
        '#include <fcntl.h>',
      ),
    );
    const c = checkResult(r, 'cwd-outside');
    expect(c.limit).toBe('output');
    // The agent's own clock: the kill, then the end of the wait. Before, the end came at the wall limit plus
    // two seconds whenever the kill came (for a kill within the first three seconds, more than 4 s after it).
    const killMs = c.phases!.killMs!;
    expect(killMs).toBeGreaterThan(0);
    expect(c.durationMs - killMs).toBeGreaterThan(1900); // the grace (2 s), counted on two clocks of different grain
    // It ended at the kill plus the grace, not at the wall limit (5 s) plus the grace, as it did before: an order of
    // events, not a speed (the kill came at the output limit, so before the wall limit).
    expect(c.durationMs).toBeLessThan(5000 + 2000);
  });
});
