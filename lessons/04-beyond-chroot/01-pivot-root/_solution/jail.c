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
#include <sys/wait.h>

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* A mount tree of our own, and a PID namespace for the processes we start from now on.
   * Private: pivot_root() refuses to move mounts that are shared with the namespace we came from. */
  if (unshare(CLONE_NEWNS | CLONE_NEWPID) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("unshare");
    return 1;
  }
  /* pivot_root() wants the new root to be a mount point: bind the jail onto itself. */
  if (mount(jail, jail, NULL, MS_BIND | MS_REC, NULL) != 0) {
    perror("mount");
    return 1;
  }
  /* The jail becomes the root of the whole mount tree, the old root is stacked on top of it ("."), and
   * detaching that leaves nothing outside the jail in this namespace: no ".." leads there any more. */
  if (chdir(jail) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 || umount2(".", MNT_DETACH) != 0) {
    perror("pivot_root");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }
  /* Our child is process 1 of the new PID namespace: it sees no process outside, and neither does a /proc
   * it mounts. We wait for it and pass on how it ended. */
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    return 1;
  }
  if (child == 0) {
    execv(argv[2], &argv[2]);
    perror("execv");
    _exit(127);
  }
  int status;
  if (waitpid(child, &status, 0) != child) {
    perror("waitpid");
    return 1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
