import { describe, expect, inject, it } from 'vitest';
import { FIRST_LESSON } from '../../test/lesson-sources.js';
import { JailLabClient } from '../client/jaillab-client.js';

/**
 * The lessons need these kernel features in the guest: Landlock, seccomp
 * filters, user, mount, network and PID namespaces, and Yama. A boot option
 * that turned a security module off for speed would silently change what the
 * probes can do, so this asks the real guest (as root, outside any jail) and
 * checks the kernel command line turns none of them off.
 */
const FACTS = String.raw`
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

static void fact(const char *name, const char *path) {
  char buf[512] = "missing";
  FILE *f = fopen(path, "r");
  if (f) { size_t n = fread(buf, 1, sizeof buf - 1, f); buf[n] = 0; buf[strcspn(buf, "\n")] = 0; fclose(f); }
  printf("fact %s=%s\n", name, buf);
}

int main(void) {
  if (unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
    mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
  fact("lsm", "/sys/kernel/security/lsm");
  fact("ptrace_scope", "/proc/sys/kernel/yama/ptrace_scope");
  fact("cmdline", "/proc/cmdline");
  printf("fact landlock_abi=%ld\n", syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION));
  printf("fact seccomp_filter=%d\n", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &(unsigned){SECCOMP_RET_ERRNO}) == 0);
  printf("fact seccomp_mode=%d\n", prctl(PR_GET_SECCOMP));
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(1000) || setuid(1000)) _exit(2);
    _exit(unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID) == 0 ? 0 : 1);
  }
  int st;
  waitpid(pid, &st, 0);
  printf("fact unprivileged_namespaces=%d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
  return 0;
}
`;

describe('the guest kernel', () => {
  it('has what the lessons need: Landlock, seccomp, Yama, user/mount/net/PID namespaces, none turned off at boot', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    // Untraced: this asks about the kernel, not about what the replay records.
    const r = await client.run(FIRST_LESSON, FACTS, { trace: false });
    client.close();
    const out = (r.output.get(0) ?? Buffer.alloc(0)).toString('utf8');
    const facts = Object.fromEntries([...out.matchAll(/^fact (\w+)=(.*?)\r?$/gm)].map((m) => [m[1], m[2]]));
    expect(facts.lsm?.split(',')).toEqual(expect.arrayContaining(['landlock', 'yama']));
    expect(Number(facts.landlock_abi)).toBeGreaterThanOrEqual(2);
    expect(facts.seccomp_filter).toBe('1');
    // Every check's processes start under the agent's own filter (check_filter.h), replay or not: mode 2.
    expect(facts.seccomp_mode).toBe('2');
    expect(facts.ptrace_scope).toMatch(/^[0-3]$/);
    expect(facts.unprivileged_namespaces).toBe('1');
    expect(facts.cmdline).not.toMatch(/\b(lsm|security|landlock|yama|apparmor)=/);
  });
});
