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

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
