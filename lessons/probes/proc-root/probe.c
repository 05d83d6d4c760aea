/* proc-root: a /proc inside the jail links to other processes' root directories. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "proc-root");
  if (access("/proc/self", F_OK) != 0) {
    probe_blocked("access(\"/proc/self\")", errno);
    probe_say("contained: no /proc in the jail");
    return 1;
  }
  int err = 0, pids[4096];
  int npids = probe_list_pids("/proc", pids, 4096);
  for (int i = 0; i < npids; i++) {
    int pid = pids[i];
    char path[96], how[96];
    if (pid == getpid()) continue;
    snprintf(path, sizeof path, "/proc/%d/root/outside/secret", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
      err = errno;
      continue;
    }
    close(fd);
    snprintf(how, sizeof how, "/proc/%d/root", pid);
    if (probe_try_read(how, path)) return 0;
  }
  if (err) probe_blocked("open(\"/proc/<pid>/root/outside/secret\")", err);
  probe_say("contained: no process's root leads outside");
  return 1;
}
