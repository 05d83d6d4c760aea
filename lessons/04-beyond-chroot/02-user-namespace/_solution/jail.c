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
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

/* Writes one of /proc/self/{uid_map,setgroups,gid_map}; the kernel takes each in a single write(). */
static int write_proc(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    perror(path);
    return -1;
  }
  ssize_t n = write(fd, text, strlen(text));
  if (n != (ssize_t)strlen(text)) perror(path);
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* Stop being root of the machine first. Groups too: once setgroups is denied below, none could be dropped. */
  if (setgroups(0, NULL) != 0 || setgid(SERVICE_ID) != 0 || setuid(SERVICE_ID) != 0) {
    perror("dropping privileges");
    return 1;
  }
  /* Changing uid made us non-dumpable, and that hands our /proc/self files to root: we could not write our own maps. */
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
    perror("prctl(PR_SET_DUMPABLE)");
    return 1;
  }
  /* A user namespace, and a mount namespace that it owns: inside, we get every capability, over these two only.
   * Before any chroot(): the kernel refuses a new user namespace to a chrooted process (EPERM). */
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
    perror("unshare");
    return 1;
  }
  /* uid 0 and gid 0 inside are uid and gid 1000 outside. An unprivileged process must deny setgroups() before
   * it may write a gid map (otherwise it could drop a group that a file's permissions deny it). */
  if (write_proc("/proc/self/uid_map", "0 1000 1\n") != 0 || write_proc("/proc/self/setgroups", "deny") != 0 ||
      write_proc("/proc/self/gid_map", "0 1000 1\n") != 0) {
    return 1;
  }
  /* From here on, the pivot_root jail of the last lesson: these mounts are ours to make now. */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("mount private");
    return 1;
  }
  /* nodev: a user namespace stops mknod(), not a device node someone else left in the jail. */
  if (mount(jail, jail, NULL, MS_BIND | MS_REC, NULL) != 0 ||
      mount(NULL, jail, NULL, MS_REMOUNT | MS_BIND | MS_NODEV, NULL) != 0) {
    perror("mount");
    return 1;
  }
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
