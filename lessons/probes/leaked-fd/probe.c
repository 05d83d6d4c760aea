/* leaked-fd: a descriptor opened before chroot() and inherited by the jailed program: a directory to walk out of,
 * or a file outside, already open (no jail and no Landlock rule checks a descriptor that is already open). */
#include "probe.h"
#include <sys/stat.h>

int main(int argc, char **argv) {
  probe_start(argc, argv, "leaked-fd");
  int dirs = 0, files = 0;
  for (int fd = 3; fd < 1024; fd++) {
    struct stat st;
    if (fstat(fd, &st) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      files++;
      char how[64];
      snprintf(how, sizeof how, "read(%d), a file inherited open", fd);
      if (probe_try_read_fd(how, fd)) return 0;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) continue;
    dirs++;
    if (fchdir(fd) != 0) {
      probe_blocked("fchdir(inherited fd)", errno);
      continue;
    }
    char how[64];
    snprintf(how, sizeof how, "fchdir(%d) to an inherited directory", fd);
    if (probe_try_relative(how)) return 0;
  }
  if (dirs == 0 && files == 0) probe_say("blocked: no inherited directory or file descriptor (fds 3-1023 checked)");
  probe_say("contained: no leaked descriptor leads outside");
  return 1;
}
