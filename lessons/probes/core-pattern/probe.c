/* core-pattern: points the kernel's core dump pipe at a script in the jail, then crashes a child. */
#include "probe.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define SETTING "/kernel/core_pattern"

int main(int argc, char **argv) {
  probe_start(argc, argv, "core-pattern");
  int fresh;
  const char *proc = probe_proc_for(SETTING, &fresh);
  if (!proc) {
    probe_say("contained: no /proc/sys to write to");
    return 1;
  }
  char setting[128], old[512], jail[512], helper[600], pattern[700];
  snprintf(setting, sizeof setting, "%s/sys%s", proc, SETTING);
  int escaped = 0;
  if (!probe_read_setting(setting, old, sizeof old)) {
    probe_blocked("open(\"/proc/sys" SETTING "\")", errno);
  } else {
    probe_jail_outside(proc, jail, sizeof jail);
    if (probe_write_helper(jail, helper, sizeof helper)) {
      /* "|program": the kernel starts it for every core dump, as root, in the machine's namespaces. */
      snprintf(pattern, sizeof pattern, "|%s", helper);
      if (probe_write_setting(setting, pattern)) {
        probe_say("core_pattern is now %s; crashing a child", pattern);
        pid_t child = fork();
        if (child == 0) {
          /* 1 is the one limit a pipe honours (it stops a helper's own crash from recursing): make it larger. */
          struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
          setrlimit(RLIMIT_CORE, &unlimited);
          prctl(PR_SET_DUMPABLE, 1);
          raise(SIGSEGV);
          _exit(0);
        }
        if (child > 0) waitpid(child, NULL, 0);
        escaped = probe_await_helper("core_pattern \"|script\", then a crash: the kernel ran the script outside");
        /* Put the machine back: the next check's crashes are none of our business. */
        probe_write_setting(setting, old);
      }
    }
  }
  if (fresh) probe_unmount(proc);
  if (!escaped) probe_say("contained: the kernel ran nothing of ours outside");
  return escaped ? 0 : 1;
}
