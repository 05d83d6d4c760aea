/* A daemon's privilege drop in the style of OpenSSH's permanently_set_uid(): every step checked, then the drop
 * proven permanent by calls that can only fail once it is (regaining uid or gid 0, moving to another user's ids,
 * a second chroot, a look outside). Any of them working would mean the jail is broken: it dies instead. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SERVICE_ID 1000
#define SOMEONE_ELSE 2000

static void die(const char *what) {
  perror(what);
  exit(1);
}

int main(int argc, char *argv[]) {
  if (argc < 3) return 2;
  if (chroot(argv[1]) != 0) die("chroot");
  if (chdir("/") != 0) die("chdir");
  if (setgroups(0, NULL) != 0) die("setgroups");
  if (setresgid(SERVICE_ID, SERVICE_ID, SERVICE_ID) != 0) die("setresgid");
  if (setresuid(SERVICE_ID, SERVICE_ID, SERVICE_ID) != 0) die("setresuid");
  /* Proof: none of these may work any more. */
  if (setuid(0) != -1 || setgid(0) != -1 || seteuid(0) != -1 || setegid(0) != -1) die("root came back");
  if (setgid(SOMEONE_ELSE) != -1 || setuid(SOMEONE_ELSE) != -1) die("another user's ids");
  gid_t root_group = 0;
  if (setgroups(1, &root_group) != -1) die("groups came back");
  if (chroot(".") != -1) die("chroot again");
  if (chdir("/nonexistent-outside") != -1) die("a way out");
  char cwd[64];
  if (chdir("..") != 0 || !getcwd(cwd, sizeof cwd) || strcmp(cwd, "/") != 0) die("cwd outside the jail");
  execv(argv[2], &argv[2]);
  die("execv");
}
