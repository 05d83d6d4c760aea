#define _GNU_SOURCE
#include "trace_calls.h"

#include <sys/syscall.h>

#define D(nr, name, n, a, b, c, d, e, f, path, dirfd, post) {nr, name, n, {a, b, c, d, e, f}, path, dirfd, post}

static const struct call_desc calls[] = {
    D(SYS_open, "open", 3, K_PATH, K_OFLAGS, K_MODE, 0, 0, 0, 0, -1, P_OPENS),
    D(SYS_openat, "openat", 4, K_DIRFD, K_PATH, K_OFLAGS, K_MODE, 0, 0, 1, 0, P_OPENS),
    D(SYS_openat2, "openat2", 3, K_DIRFD, K_PATH, K_OPENHOW, 0, 0, 0, 1, 0, P_OPENS),
    D(SYS_open_by_handle_at, "open_by_handle_at", 3, K_FD, K_PTR, K_OFLAGS, 0, 0, 0, -1, -1, P_OPENS),
    D(SYS_creat, "creat", 2, K_PATH, K_MODE, 0, 0, 0, 0, 0, -1, P_OPENS),
    D(SYS_chdir, "chdir", 1, K_PATH, 0, 0, 0, 0, 0, 0, -1, P_CWD),
    D(SYS_fchdir, "fchdir", 1, K_FD, 0, 0, 0, 0, 0, -1, -1, P_WHERE),
    D(SYS_chroot, "chroot", 1, K_PATH, 0, 0, 0, 0, 0, 0, -1, P_WHERE),
    D(SYS_pivot_root, "pivot_root", 2, K_PATH, K_PATH, 0, 0, 0, 0, 0, -1, P_WHERE),
    D(SYS_mount, "mount", 5, K_STR, K_PATH, K_STR, K_MSFLAGS, K_PTR, 0, 1, -1, 0),
    D(SYS_umount2, "umount2", 2, K_PATH, K_MNTFLAGS, 0, 0, 0, 0, 0, -1, 0),
    D(SYS_mknod, "mknod", 3, K_PATH, K_MODE, K_DEV, 0, 0, 0, 0, -1, 0),
    D(SYS_mknodat, "mknodat", 4, K_DIRFD, K_PATH, K_MODE, K_DEV, 0, 0, 1, 0, 0),
    D(SYS_setuid, "setuid", 1, K_ID, 0, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setgid, "setgid", 1, K_ID, 0, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setreuid, "setreuid", 2, K_ID, K_ID, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setregid, "setregid", 2, K_ID, K_ID, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setresuid, "setresuid", 3, K_ID, K_ID, K_ID, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setresgid, "setresgid", 3, K_ID, K_ID, K_ID, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_setfsuid, "setfsuid", 1, K_ID, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_setfsgid, "setfsgid", 1, K_ID, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_setgroups, "setgroups", 2, K_INT, K_GROUPS, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_capset, "capset", 2, K_PTR, K_PTR, 0, 0, 0, 0, -1, -1, P_CREDS),
    D(SYS_prctl, "prctl", 5, K_PRCTL, K_HEX, K_HEX, K_HEX, K_HEX, 0, -1, -1, P_FILTER),
    D(SYS_seccomp, "seccomp", 3, K_SECCOMP, K_HEX, K_PTR, 0, 0, 0, -1, -1, P_FILTER),
    D(SYS_landlock_create_ruleset, "landlock_create_ruleset", 3, K_PTR, K_INT, K_HEX, 0, 0, 0, -1, -1, P_OPENS),
    D(SYS_landlock_add_rule, "landlock_add_rule", 4, K_FD, K_INT, K_PTR, K_HEX, 0, 0, -1, -1, 0),
    D(SYS_landlock_restrict_self, "landlock_restrict_self", 2, K_FD, K_HEX, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_unshare, "unshare", 1, K_NSFLAGS, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_setns, "setns", 2, K_FD, K_NSFLAGS, 0, 0, 0, 0, -1, -1, P_WHERE),
    D(SYS_clone, "clone", 2, K_NSFLAGS, K_PTR, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_clone3, "clone3", 2, K_CLONE3, K_INT, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_fork, "fork", 0, 0, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_vfork, "vfork", 0, 0, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_execve, "execve", 2, K_PATH, K_ARGV, 0, 0, 0, 0, 0, -1, P_EXEC),
    D(SYS_execveat, "execveat", 4, K_DIRFD, K_PATH, K_ARGV, K_PTR, 0, 0, 1, 0, P_EXEC),
    D(SYS_socket, "socket", 3, K_DOMAIN, K_SOCKTYPE, K_INT, 0, 0, 0, -1, -1, 0),
    D(SYS_connect, "connect", 3, K_FD, K_SOCKADDR, K_INT, 0, 0, 0, -1, -1, 0),
    D(SYS_sendmsg, "sendmsg", 3, K_FD, K_MSGHDR, K_HEX, 0, 0, 0, -1, -1, P_SCM_SEND),
    D(SYS_recvmsg, "recvmsg", 3, K_FD, K_MSGHDR, K_HEX, 0, 0, 0, -1, -1, P_SCM_RECV),
    D(SYS_ptrace, "ptrace", 2, K_PTRACE, K_INT, 0, 0, 0, 0, -1, -1, P_PTRACE),
    D(SYS_link, "link", 2, K_PATH, K_PATH, 0, 0, 0, 0, 0, -1, 0),
    D(SYS_linkat, "linkat", 5, K_DIRFD, K_PATH, K_DIRFD, K_PATH, K_ATFLAGS, 0, 1, 0, 0),
    D(SYS_symlink, "symlink", 2, K_STR, K_PATH, 0, 0, 0, 0, 1, -1, 0),
    D(SYS_symlinkat, "symlinkat", 3, K_STR, K_DIRFD, K_PATH, 0, 0, 0, 2, 1, 0),
    D(SYS_close, "close", 1, K_FD, 0, 0, 0, 0, 0, -1, -1, 0),
    D(SYS_close_range, "close_range", 3, K_FD, K_FD, K_HEX, 0, 0, 0, -1, -1, 0),
};

const struct call_desc *trace_call(long nr) {
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    if (calls[i].nr == nr) return &calls[i];
  return 0;
}

size_t trace_call_numbers(long *out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof calls / sizeof calls[0] && n < max; i++) out[n++] = calls[i].nr;
  return n;
}
