/* An nsjail-style jail: a mount namespace of its own, the jail bound onto itself and made the root with
 * pivot_root(), the old root detached, then an ordinary user with no way back. */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/syscall.h>

static void die(const char *what) {
  perror(what);
  exit(1);
}

int main(int argc, char *argv[]) {
  if (argc < 3) return 2;
  const char *jail = argv[1];
  if (unshare(CLONE_NEWNS) != 0) die("unshare");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("make-rprivate");
  if (mount(jail, jail, NULL, MS_BIND | MS_REC, NULL) != 0) die("bind");
  if (chdir(jail) != 0) die("chdir jail");
  if (syscall(SYS_pivot_root, ".", ".") != 0) die("pivot_root");
  if (umount2(".", MNT_DETACH) != 0) die("umount old root");
  if (chdir("/") != 0) die("chdir /");
  if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0) die("drop");
  if (setuid(0) != -1) die("root came back");
  execv(argv[2], &argv[2]);
  die("execv");
}
