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
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  if (chroot(jail) != 0) {
    perror("chroot");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }
  /* Stay uid 0, but empty the capability bounding set: after execve() root has no capability left. */
  for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      perror("prctl(PR_CAPBSET_DROP)");
      return 1;
    }
  }

  /* For uid 0, execve() gives the bounding set plus the inheritable set (which the bounding set does not mask),
   * plus the ambient one: clear both too, rather than rely on having been started with them empty. */
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    perror("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    return 1;
  }
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct caps[2];
  if (syscall(SYS_capget, &header, caps) != 0) {
    perror("capget");
    return 1;
  }
  caps[0].inheritable = caps[1].inheritable = 0;
  if (syscall(SYS_capset, &header, caps) != 0) {
    perror("capset");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
