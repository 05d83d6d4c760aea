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

/* A regular file with more than one link may be a file from outside under a second name: drop it from the jail. */
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
  /* A mount namespace of our own (the mounts vanish with the jail) and a network namespace of our own
   * (abstract UNIX sockets live there, and a chroot cannot hide them). */
  if (unshare(CLONE_NEWNS | CLONE_NEWNET) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("unshare");
    return 1;
  }
  /* The jail's path is looked up here, once (after unshare(): the descriptor names the jail in our own mount
   * namespace). Every later step works through the descriptor, so a symlink swapped on the path changes nothing:
   * chdir(path) + chroot(".") closes the window between those two calls, but mount(path, path), a remount by
   * path and a walk by path would each look it up again. */
  int jailfd = open(jail, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (jailfd < 0) {
    perror("open jail");
    return 1;
  }
  /* Bind the jail onto itself through the descriptor (Linux 5.12 mount API): a copy of its mount tree, nodev and
   * nosuid on every mount in it (AT_RECURSIVE; MS_REMOUNT would set them on the top one only), attached over the
   * jail. The new tree's descriptor is its root: we enter it by descriptor too. */
  int tree = open_tree(jailfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID};
  if (tree < 0 || mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0 ||
      move_mount(tree, "", jailfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    perror("mount");
    return 1;
  }
  if (fchdir(tree) != 0) {
    perror("fchdir");
    return 1;
  }
  /* chroot(".") jails the directory we are in: no path is looked up, nobody can swap it. */
  if (chroot(".") != 0) {
    perror("chroot");
    return 1;
  }
  close(tree);
  close(jailfd);
  /* The audit walks the jail from its own root: no name in it leads outside, whatever someone does to the path. */
  nftw("/", audit, 16, FTW_PHYS | FTW_MOUNT);
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
