/* modprobe-path: points the kernel's module loader at a script in the jail, then asks for a module. */
#include "probe.h"
#include <sys/wait.h>

#define SETTING "/kernel/modprobe"

/* A file with no known executable format: execve() makes the kernel ask for module "binfmt-XXXX". */
static void run_unknown_format(void) {
  int fd = open("/.probe-unknown", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (fd < 0) {
    probe_blocked("open(\"/.probe-unknown\")", errno);
    return;
  }
  if (write(fd, "\xff\xff\xff\xff", 4) != 4) probe_blocked("write(\"/.probe-unknown\")", errno);
  close(fd);
  pid_t child = fork();
  if (child == 0) {
    char *args[] = {"/.probe-unknown", NULL};
    execv(args[0], args);
    _exit(errno == ENOEXEC ? 0 : 1);
  }
  if (child > 0) waitpid(child, NULL, 0);
  unlink("/.probe-unknown");
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "modprobe-path");
  int fresh;
  const char *proc = probe_proc_for(SETTING, &fresh);
  if (!proc) {
    probe_say("contained: no /proc/sys to write to");
    return 1;
  }
  char setting[128], old[512], jail[512], helper[600];
  snprintf(setting, sizeof setting, "%s/sys%s", proc, SETTING);
  int escaped = 0;
  if (!probe_read_setting(setting, old, sizeof old)) {
    probe_blocked("open(\"/proc/sys" SETTING "\")", errno);
  } else {
    probe_jail_outside(proc, jail, sizeof jail);
    if (probe_write_helper(jail, helper, sizeof helper) && probe_write_setting(setting, helper)) {
      probe_say("modprobe is now %s; executing a file of no known format", helper);
      run_unknown_format();
      escaped = probe_await_helper("/proc/sys/kernel/modprobe, then an unknown binary format: the kernel ran the script outside");
      /* Put the machine back: a later module request must find the real modprobe. */
      probe_write_setting(setting, old);
    }
  }
  if (fresh) probe_unmount(proc);
  if (!escaped) probe_say("contained: the kernel ran nothing of ours outside");
  return escaped ? 0 : 1;
}
