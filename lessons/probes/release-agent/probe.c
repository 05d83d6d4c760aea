/* release-agent: mounts a cgroup v1 hierarchy, names a script in the jail as its release agent, empties a cgroup. */
#include "probe.h"
#include <sys/wait.h>

/* Puts a child in the cgroup and lets it exit: the cgroup is empty, and with notify_on_release the kernel calls the agent. */
static void empty_a_cgroup(const char *cgroup) {
  char path[400];
  pid_t child = fork();
  if (child == 0) {
    snprintf(path, sizeof path, "%s/cgroup.procs", cgroup);
    int fd = open(path, O_WRONLY);
    /* "0" is the writer itself, whatever PID namespace it sees itself in. */
    _exit(fd >= 0 && write(fd, "0", 1) == 1 ? 0 : 1);
  }
  int status = 1;
  if (child > 0) waitpid(child, &status, 0);
  if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) probe_say("could not move a child into %s/cgroup.procs", cgroup);
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "release-agent");
  /* A named hierarchy with no controller: nothing else on the machine uses it, and it vanishes when we are done. */
  const char *dir = probe_mount_fresh("cgroup", "/.probe-cgroup", "none,name=jaillab-probe");
  if (!dir) {
    probe_say("contained: cannot mount a cgroup hierarchy");
    return 1;
  }
  /* mountinfo needs a /proc; without one the run contract's /jail is where the jail is. */
  const char *proc = probe_mount_fresh("proc", "/.probe-proc", NULL);
  char jail[512], helper[600], agent[300], cgroup[300], notify[320];
  probe_jail_outside(proc ? proc : "/nonexistent", jail, sizeof jail);
  probe_unmount(proc);
  snprintf(agent, sizeof agent, "%s/release_agent", dir);
  snprintf(cgroup, sizeof cgroup, "%s/probe", dir);
  snprintf(notify, sizeof notify, "%s/notify_on_release", cgroup);
  int escaped = 0;
  if (probe_write_helper(jail, helper, sizeof helper) && probe_write_setting(agent, helper)) {
    if (mkdir(cgroup, 0755) != 0 && errno != EEXIST) {
      probe_blocked("mkdir(a cgroup)", errno);
    } else if (probe_write_setting(notify, "1")) {
      probe_say("release_agent is now %s; emptying a cgroup", helper);
      empty_a_cgroup(cgroup);
      escaped = probe_await_helper("cgroup v1 release_agent, then an emptied cgroup: the kernel ran the script outside");
    }
    rmdir(cgroup);
  }
  probe_unmount(dir);
  if (!escaped) probe_say("contained: the kernel ran nothing of ours outside");
  return escaped ? 0 : 1;
}
