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
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/landlock.h>

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


/* Deny the system calls that reach into other processes (and a few a jailed service never needs) with EPERM. */
static int install_seccomp(void) {
  /* pidfd_getfd takes a descriptor out of another process, kcmp and process_madvise reach into one: ptrace's kin. */
  static const int denied[] = {SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_pidfd_getfd, SYS_kcmp,
                               SYS_process_madvise, SYS_mount, SYS_umount2, SYS_chroot, SYS_pivot_root, SYS_unshare,
                               SYS_setns, SYS_mknod, SYS_mknodat};
  const int n = sizeof denied / sizeof denied[0];
  struct sock_filter f[6 + 2 * 16];
  int i = 0;
  f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* x32 system calls share the x86-64 architecture value with the x32 bit set in their numbers: on a kernel
   * with x32, ptrace | __X32_SYSCALL_BIT would match none of the numbers below (seccomp(2) warns of it). */
  f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1);
  f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  for (int k = 0; k < n; k++) {
    f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[k], 0, 1);
    f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  }
  f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {.len = (unsigned short)i, .filter = f};
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}


/* Landlock: from now on, files may only be opened beneath the jail, however they are named (a directory fd
 * included); a file already open stays open: close those. */
static int landlock_jail(int jailfd) {
  struct landlock_ruleset_attr attr = {.handled_access_fs = (1ULL << 13) - 1 /* every right of Landlock ABI 1 */};
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0) return -1;
  struct landlock_path_beneath_attr beneath = {.allowed_access = attr.handled_access_fs, .parent_fd = jailfd};
  if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) != 0) return -1;
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

  /* A mount namespace of our own (the mounts vanish with the jail) and a network namespace of our own
   * (abstract UNIX sockets live there, and a chroot cannot hide them). */
  if (unshare(CLONE_NEWNS | CLONE_NEWNET) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    perror("unshare");
    return 1;
  }
  /* The jail's path is looked up once, here (after unshare(): in our own mount namespace); everything after works
   * through descriptors, so nobody can swap what the path names between two steps (see "The path race"). */
  int jailfd = open(jail, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (jailfd < 0) {
    perror("open jail");
    return 1;
  }
  /* Bind the jail onto itself, nodev and nosuid on every mount in it (AT_RECURSIVE), attached over the jail. */
  int tree = open_tree(jailfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID};
  if (tree < 0 || mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0 ||
      move_mount(tree, "", jailfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    perror("mount");
    return 1;
  }
  /* Into the new mount's root by its descriptor: chroot(".") looks no path up. */
  if (fchdir(tree) != 0 || chroot(".") != 0) {
    perror("chroot");
    return 1;
  }
  close(jailfd);
  /* The audit walks the jail from its own root: no name in it leads outside. */
  nftw("/", audit, 16, FTW_PHYS | FTW_MOUNT);
  /* Landlock needs no_new_privs; its rule names the jail by the descriptor. */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || landlock_jail(tree) != 0) {
    perror("landlock");
    return 1;
  }
  close(tree);
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
  /* Last, after no_new_privs: the filter stays for the jailed program and everything it starts. */
  if (install_seccomp() != 0) {
    perror("seccomp");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
