import { describe, expect, inject, it } from 'vitest';
import { firstSolution, programThat } from '../../test/lesson-sources.js';
import { checkResult } from '../../test/run-result.js';
import { everythingSent, runProgram } from '../../test/run-program.js';

/**
 * What a mischievous class sends as its "jail program", beyond the plain limit
 * cases in limits.vm.test.ts (infinite loop, fork bomb, a gigabyte of output,
 * a memory hog). Every case must end with a clear reason, no host secret in
 * what comes back, and a server that goes on serving. Each runs in a real VM.
 */

/** The first lesson's solution with `before` run first: a jail that still works after the mischief. */
function solutionAfter(before: string, includes = ''): string {
  return firstSolution()
    .replace('#include <unistd.h>', `#include <unistd.h>\n#include <errno.h>\n#include <fcntl.h>\n#include <stdlib.h>\n#include <string.h>\n${includes}`)
    .replace('const char *jail = argv[1];', `const char *jail = argv[1];\n  { ${before} }`);
}

describe('hostile programs', () => {
  it('a program that sleeps forever is stopped by the time limit', async () => {
    const r = await runProgram(programThat('for (;;) sleep(1000);'));
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'error', limit: 'time', reason: expect.stringMatching(/time limit/) });
    expect(everythingSent(r)).not.toContain(inject('hostCanary'));
  });

  it('output without a newline arrives, and a program that closes stdout and lingers is stopped by the time limit', async () => {
    const r = await runProgram(programThat('printf("half a line, no newline"); fflush(stdout); close(1); close(2); if (fork() == 0) { setsid(); for (;;) pause(); } for (;;) pause();'));
    const c = checkResult(r, 'cwd-outside');
    expect(c.output).toContain('half a line, no newline');
    expect(c).toMatchObject({ verdict: 'error', limit: 'time' });
    // The lingering daemon of the first check is gone before the second starts: it ends the same way, not worse.
    expect(checkResult(r, 'read-data')).toMatchObject({ verdict: 'failed', limit: 'time' });
  });

  it('binary garbage and terminal escape sequences reach the client byte for byte, inside valid frames', async () => {
    const r = await runProgram(
      programThat(
        'unsigned char all[256]; for (int i = 0; i < 256; i++) all[i] = (unsigned char)i; write(1, all, sizeof all);' +
          'const char *osc = "\\033]52;c;aGFja2Vk\\007\\033]0;pwned title\\007\\033]8;;https://evil.example\\033\\\\link\\033]8;;\\033\\\\\\033P+q\\033\\\\"; write(1, osc, strlen(osc));',
      ),
    );
    const c = checkResult(r, 'cwd-outside');
    const raw = r.output.get(0)!;
    expect(raw.includes(Buffer.from('\x1b]52;c;aGFja2Vk\x07'))).toBe(true);
    expect(raw.includes(Buffer.from([0x80, 0x81, 0x82, 0x83]))).toBe(true);
    expect(raw.includes(Buffer.from([0xfc, 0xfd, 0xfe, 0xff]))).toBe(true);
    expect(c.verdict).toBe('error');
    expect(c.reason).not.toMatch(/\x1b/);
  });

  it('a program that goes for PID 1 finds only its check\'s init: signals and ptrace fail, and the agent runs the next check', async () => {
    const r = await runProgram(
      programThat(
        `kill(1, SIGKILL); kill(1, SIGSEGV); kill(-1, SIGKILL);
         /* Signals cannot touch init; ptrace could, if PID 1 were the agent: send it to address 0. */
         if (ptrace(PTRACE_ATTACH, 1, 0, 0) != 0) { perror("ptrace(PTRACE_ATTACH, 1)"); return 1; }
         waitpid(1, 0, __WALL);
         struct user_regs_struct regs; ptrace(PTRACE_GETREGS, 1, 0, &regs); regs.rip = 0; ptrace(PTRACE_SETREGS, 1, 0, &regs);
         ptrace(PTRACE_DETACH, 1, 0, 0); for (;;) pause();`,
        '#include <signal.h>\n#include <sys/ptrace.h>\n#include <sys/user.h>',
      ),
      { trace: false },
    );
    // The agent is not in the program's PID namespace (check_ns.h); PID 1 there is an init the agent traces itself.
    expect(r.events.filter((e) => e.type === 'vm-fault')).toEqual([]);
    const first = checkResult(r, 'cwd-outside');
    expect(first.output).toMatch(/ptrace\(PTRACE_ATTACH, 1\): Operation not permitted/);
    expect(first).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/exited with status 1 without starting the probe/) });
    expect(checkResult(r, 'read-data').output).toMatch(/ptrace\(PTRACE_ATTACH, 1\)/);
  });

  it('a program that panics the guest kernel ends in a VM fault with that reason', async () => {
    const r = await runProgram(programThat('int fd = open("/proc/sysrq-trigger", O_WRONLY); write(fd, "c", 1); for (;;) pause();', '#include <fcntl.h>'));
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/kernel panicked/) });
    expect(r.finished.message).toMatch(/VM failed twice/);
  });

  it('a program that powers the VM off only takes down its own check (reboot() in a PID namespace ends that namespace)', async () => {
    const r = await runProgram(programThat('sync(); reboot(RB_POWER_OFF); perror("reboot"); return 1;', '#include <sys/reboot.h>'));
    expect(r.events.filter((e) => e.type === 'vm-fault')).toEqual([]);
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/without starting the probe/) });
    expect(checkResult(r, 'read-data')).toMatchObject({ verdict: 'failed', reason: expect.stringMatching(/without starting the service/) });
  });

  it('a program that fills the disk and /tmp, and mounts over the world, cannot be judged, and does not break the next check of the same run', async () => {
    // The mischief in the first check only: the second runs the plain solution in the world the first left.
    const fill = `if (strcmp(argv[2], "/bin/cwd-outside") == 0) {
      static char block[1 << 16];
      memset(block, 'z', sizeof block);
      const char *where[] = { "/root/fill", "/tmp/fill", "/var-fill", "/jail-neighbour" };
      for (int i = 0; i < 4; i++) {
        int fd = open(where[i], O_WRONLY | O_CREAT | O_APPEND, 0600);
        long total = 0;
        while (fd >= 0 && write(fd, block, sizeof block) > 0) total += sizeof block;
        if (fd >= 0) close(fd);
        fprintf(stderr, "filled %s with %ld KiB (%s)\\n", where[i], total >> 10, strerror(errno));
      }
      /* And hide the host's staged files, and leave the disk read-only, for whoever comes next. */
      if (mount("tmpfs", "/run", "tmpfs", 0, "size=1m") != 0) perror("mount /run");
      if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0) perror("remount /");
    }`;
    const r = await runProgram(solutionAfter(fill, '#include <sys/mount.h>'));
    const first = checkResult(r, 'cwd-outside');
    expect(first.output).toMatch(/filled \/root\/fill with \d+ KiB \(No space left on device\)/);
    expect(first.output).toMatch(/filled \/tmp\/fill with \d+ KiB \(No space left on device\)/);
    // A read-only world is not a jail: the probe's escape (or a write of its proof) would fail for the wrong reason.
    expect(first).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/remounted something on \/ or \/outside/) });
    const next = checkResult(r, 'read-data');
    expect(next.verdict, `${next.reason}\n${next.output}`).toBe('passed');
  });

  it('a program that rewrites core_pattern and modprobe cannot be judged, and the next check finds them as they were', async () => {
    // What a kernel-interface probe killed by a limit would leave behind: the kernel's own helpers pointing into a jail.
    const rewrite = `const char *settings[] = { "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe" };
      const char *ours[] = { "|/jail/.not-restored %p", "/jail/.not-restored" };
      for (int i = 0; i < 2; i++) {
        char was[256] = "";
        int fd = open(settings[i], O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, was, sizeof was - 1) : -1;
        if (fd >= 0) close(fd);
        if (n > 0) was[strcspn(was, "\\n")] = 0;
        fprintf(stderr, "setting %s was '%s'\\n", settings[i], was);
        fd = open(settings[i], O_WRONLY | O_TRUNC);
        if (fd < 0 || write(fd, ours[i], strlen(ours[i])) < 0) perror(settings[i]);
        if (fd >= 0) close(fd);
      }`;
    const r = await runProgram(solutionAfter(rewrite));
    const seen = ['cwd-outside', 'read-data'].map((probe) => [...checkResult(r, probe).output.matchAll(/setting (\S+) was '([^']*)'/g)].map((m) => `${m[1]}=${m[2]}`));
    expect(seen[0]).toHaveLength(2);
    expect(seen[0]!.join(' ')).not.toContain('not-restored');
    expect(seen[1]).toEqual(seen[0]); // the second check found the machine's values, not the first check's
    // A crash or module request while the probe runs would start a program of the jail program's choosing, outside.
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/changed the kernel setting kernel\/core_pattern/) });
  });

  it('after all that, a good run still passes', async () => {
    const r = await runProgram(firstSolution());
    expect(r.finished.outcome).toBe('passed');
  });
});
