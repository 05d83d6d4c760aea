/*
 * A jail program. JailLab runs it as root in a fresh VM:
 *
 *     jailer <jail-dir> <probe> [probe arguments...]
 *
 * It must lock itself into <jail-dir>, then exec <probe> (a path inside the
 * jail) with its arguments: execv(argv[2], &argv[2]).
 * Keep stdout and stderr open: they are the probe's voice.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* A library we use opens its cache directory and keeps it, without O_CLOEXEC. We cannot change the library. */
  int library_cache = open("/tmp", O_RDONLY | O_DIRECTORY);
  (void)library_cache;
  if (chroot(jail) != 0) {
    perror("chroot");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }
  /* Groups first, then the gid, then the uid: once the uid is not 0, nothing else can be changed. */
  if (setgroups(0, NULL) != 0 || setgid(SERVICE_ID) != 0 || setuid(SERVICE_ID) != 0) {
    perror("dropping privileges");
    return 1;
  }
  /* Trust, but verify: root must be gone for good. */
  if (setuid(0) == 0 || setgid(0) == 0) {
    fprintf(stderr, "jailer: privileges came back\n");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
