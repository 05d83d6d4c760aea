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
#include <sys/prctl.h>
#include <sched.h>
#include <sys/mount.h>
#include <ftw.h>
#include <sys/stat.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

/* A regular file with more than one link may be a file from outside under a second name: drop it from the jail.
 * A snapshot: it sees no link made after the walk, and it drops legitimate links too (see the lesson). */
static int audit(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)f;
  if (type == FTW_F && S_ISREG(st->st_mode) && st->st_nlink > 1) {
    fprintf(stderr, "jailer: removing %s (%lu links)\n", path, (unsigned long)st->st_nlink);
    unlink(path);
  }
  return 0;
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* O_CLOEXEC: execve() closes it, so the jailed program never inherits it. Keep the log directory open to write logs later. */
  int logdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (logdir < 0) {
    perror("open log directory");
    return 1;
  }
  /* A mount namespace of our own: the mounts below vanish with the jail and nobody else sees them. */
  if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("unshare");
    return 1;
  }
  /* Bind the jail onto itself so it is a mount of its own, then remount it nodev and nosuid. */
  if (mount(jail, jail, NULL, MS_BIND | MS_REC, NULL) != 0 ||
      mount(NULL, jail, NULL, MS_REMOUNT | MS_BIND | MS_NODEV | MS_NOSUID, NULL) != 0) {
    perror("mount");
    return 1;
  }
  char top[4096];
  snprintf(top, sizeof top, "%s/", jail); /* the trailing slash follows a symlinked jail path */
  nftw(top, audit, 16, FTW_PHYS | FTW_MOUNT);
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
  /* From here on, execve() never grants privileges (set-user-ID bits are ignored). */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    perror("prctl(PR_SET_NO_NEW_PRIVS)");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
