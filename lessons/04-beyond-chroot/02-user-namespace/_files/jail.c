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
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* A mount tree of our own. Private: pivot_root() refuses to move mounts shared with the namespace we came from. */
  if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("unshare");
    return 1;
  }
  /* pivot_root() wants the new root to be a mount point: bind the jail onto itself. */
  if (mount(jail, jail, NULL, MS_BIND | MS_REC, NULL) != 0) {
    perror("mount");
    return 1;
  }
  /* The jail becomes the root of the whole mount tree; the old root, stacked on top of it, is detached. */
  if (chdir(jail) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 || umount2(".", MNT_DETACH) != 0) {
    perror("pivot_root");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
