/* mount-proc: root mounts a fresh /proc inside the jail and follows /proc/1/root out. */
#include "probe.h"
#include <sys/mount.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  probe_start(argc, argv, "mount-proc");
  /* A mount point: a fresh directory if the jail's root is writable, else /bin, which every jail has (we are in it).
   * Never a directory that may not exist: the probe would report ENOENT instead of what stops the mount. */
  const char *dir = "/.probe-proc";
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) dir = "/bin";
  if (mount("proc", dir, "proc", 0, NULL) != 0) {
    probe_blocked("mount(\"proc\")", errno);
    probe_say("contained: cannot mount a filesystem");
    return 1;
  }
  static int pids[4096];
  int npids = probe_list_pids(dir, pids, 4096);
  for (int i = 0; i < npids; i++) {
    int pid = pids[i];
    char path[128], how[128];
    snprintf(path, sizeof path, "%s/%d/root/outside/secret", dir, pid);
    if (access(path, F_OK) != 0 && errno == ENOENT) continue;
    snprintf(how, sizeof how, "mount(\"proc\"), then /proc/%d/root", pid);
    if (probe_try_read(how, path)) {
      umount2(dir, MNT_DETACH);
      return 0;
    }
  }
  /* Leave no mount behind: the next check rebuilds the jail directory. */
  umount2(dir, MNT_DETACH);
  probe_say("contained: the new /proc shows no process outside the jail");
  return 1;
}
