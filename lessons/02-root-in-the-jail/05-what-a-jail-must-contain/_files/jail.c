/*
 * A jail program. JailLab runs it as root in a fresh VM:
 *
 *     jailer <jail-dir> <probe> [probe arguments...]
 *
 * It must lock itself into <jail-dir>, then exec <probe> (a path inside the
 * jail) with its arguments: execv(argv[2], &argv[2]).
 * Keep stdout and stderr open: they are the probe's voice.
 *
 * This lesson's service is dynamically linked: the jail must hold what it needs to start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <ftw.h>
#include <sys/stat.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

static char jail_root[4096];

/* Copies one file or directory of the machine to the same path below the jail, keeping its mode. */
static int copy_into_jail(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)f;
  char to[8192];
  snprintf(to, sizeof to, "%s%s", jail_root, path);
  if (type == FTW_D) return mkdir(to, st->st_mode & 07777) == 0 || errno == EEXIST ? 0 : -1;
  if (type != FTW_F || !S_ISREG(st->st_mode)) return 0;
  int in = open(path, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 07777);
  char buf[65536];
  ssize_t n;
  while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) break;
  if (in >= 0) close(in);
  if (out >= 0) close(out);
  return in >= 0 && out >= 0 ? 0 : -1;
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];
  snprintf(jail_root, sizeof jail_root, "%s", jail);

  /* The service needs its libraries and its user's name. To be safe, bring the whole of /lib, /lib64 and /etc. */
  const char *bring[] = {"/lib", "/lib64", "/etc"};
  for (size_t i = 0; i < sizeof bring / sizeof bring[0]; i++) {
    if (nftw(bring[i], copy_into_jail, 16, FTW_PHYS) != 0) {
      perror(bring[i]);
      return 1;
    }
  }

  if (chroot(jail) != 0) {
    perror("chroot");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }
  if (setgroups(0, NULL) != 0 || setgid(SERVICE_ID) != 0 || setuid(SERVICE_ID) != 0) {
    perror("dropping privileges");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
