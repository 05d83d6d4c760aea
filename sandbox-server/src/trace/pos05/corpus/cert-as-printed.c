/* CERT POS05-C's compliant solution as printed, around the jail program's contract: it regains root, chroots,
 * chdirs, then "drops privileges permanently" to getgid()/getuid(). Written for a set-user-ID program started by
 * an ordinary user; started by root, as here, getuid() is 0 and nothing is dropped. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  if (argc < 3) return 2;
  if (setuid(0) == -1) return 1;
  if (chroot(argv[1]) == -1) return 1;
  if (chdir("/") == -1) return 1;
  /* Drop privileges permanently */
  if (setgid(getgid()) == -1) return 1;
  if (setuid(getuid()) == -1) return 1;
  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
