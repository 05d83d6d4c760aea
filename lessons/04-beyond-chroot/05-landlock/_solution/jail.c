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
#include <sys/syscall.h>
#include <linux/landlock.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

/* Landlock: from now on, files may only be opened beneath the jail, however they are named (a directory fd
 * included); a file already open stays open: close those. */
static int landlock_jail(const char *jail) {
  struct landlock_ruleset_attr attr = {.handled_access_fs = (1ULL << 13) - 1 /* every right of Landlock ABI 1 */};
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0) return -1;
  struct landlock_path_beneath_attr beneath = {.allowed_access = attr.handled_access_fs, .parent_fd = open(jail, O_PATH | O_CLOEXEC)};
  if (beneath.parent_fd < 0 || syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) != 0) return -1;
  close(beneath.parent_fd);
  int rc = (int)syscall(SYS_landlock_restrict_self, ruleset, 0);
  close(ruleset);
  return rc;
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  /* A library we use opens its cache directory and keeps it, without O_CLOEXEC. We cannot change the library. */
  int library_cache = open("/tmp", O_RDONLY | O_DIRECTORY);
  (void)library_cache;
  /* Landlock needs no_new_privs, and the rule names the jail by its path outside: before chroot(). */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || landlock_jail(jail) != 0) {
    perror("landlock");
    return 1;
  }
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

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
