/*
 * A jail program. JailLab runs it as root in a fresh VM:
 *
 *     jailer <jail-dir> <probe> [probe arguments...]
 *
 * In this lesson it builds the jail itself, in a directory of its own below /tmp, from the files in
 * <jail-dir>; then it locks itself in there and execs <probe> (a path inside the jail) with its arguments.
 * Keep stdout and stderr open: they are the probe's voice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <ftw.h>
#include <sys/stat.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

static const char *from_root; /* the files to jail (argv[1]) */
static char to_root[4096];    /* the jail being built */

/* Copies one file or directory of the tree to the same place below the new jail, keeping its mode. */
static int copy_one(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)f;
  char to[8192];
  snprintf(to, sizeof to, "%s%s", to_root, path + strlen(from_root));
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
  from_root = argv[1];

  /* Our jail lives in /tmp. It may be left over from the last start: that is fine, we copy over it. */
  snprintf(to_root, sizeof to_root, "/tmp/jail");
  if (mkdir(to_root, 0755) != 0 && errno != EEXIST) {
    perror("mkdir /tmp/jail");
    return 1;
  }
  if (nftw(from_root, copy_one, 16, FTW_PHYS) != 0) {
    perror("copying the jail");
    return 1;
  }

  if (chroot(to_root) != 0) {
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
