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

/* Is `path`, and every directory above it, owned by root and writable by root alone (or sticky)? */
static int owned_by_root_alone(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  for (;;) {
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0) return 0;
    if ((st.st_mode & 0022) && !(st.st_mode & S_ISVTX)) return 0;
    char *slash = strrchr(dir, '/');
    if (!slash) return 0;
    if (slash == dir) {
      if (dir[1] == 0) return 1;
      dir[1] = 0;
    } else {
      *slash = 0;
    }
  }
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  from_root = argv[1];

  /* A name nobody can know in advance, made by us alone (mode 0700, or it fails: it never reuses a directory). */
  snprintf(to_root, sizeof to_root, "/tmp/jail.XXXXXX");
  if (!mkdtemp(to_root)) {
    perror("mkdtemp");
    return 1;
  }
  if (nftw(from_root, copy_one, 16, FTW_PHYS) != 0) {
    perror("copying the jail");
    return 1;
  }
  /* The copy gave the jail's root the mode of <jail-dir>'s: set it ourselves, readable but writable by root alone. */
  if (chmod(to_root, 0755) != 0) {
    perror("chmod");
    return 1;
  }
  /* Trust, but verify: the jail and every directory above it belong to root, and nobody else may write to them
   * (a sticky directory such as /tmp is fine: others cannot rename or remove what is ours in it). */
  if (!owned_by_root_alone(to_root)) {
    fprintf(stderr, "jailer: %s or a directory above it is not root's alone\n", to_root);
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
