#define _GNU_SOURCE
#include "check_ns.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "wire.h"

/* How long the init gets to mount the world's /proc and say so (TCG under load is slow to start processes). */
#define INIT_READY_MS 5000

static int own_pid_ns = -1;

void check_ns_setup(void) {
  own_pid_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (own_pid_ns < 0) die("open /proc/self/ns/pid: %m");
}

/* In the init, until it is ready: says what failed on the ready pipe and exits. */
static void __attribute__((noreturn)) init_failed(int ready, const char *what) {
  dprintf(ready, "%s: %s\n", what, strerror(errno));
  _exit(126);
}

/* The check's PID 1: the world's /proc, then reaping orphans until the namespace is taken down. */
static void __attribute__((noreturn)) init_main(int ready, const struct check_filter *filter) {
  /* A copy of the agent's memory that the check can read: it must not hold the key the agent signs with. */
  wire_forget_key();
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) init_failed(ready, "opening /dev/null");
  if (ready > 3 && close_range(3, (unsigned)ready - 1, 0) != 0) init_failed(ready, "close_range");
  if (close_range((unsigned)ready + 1, ~0U, 0) != 0) init_failed(ready, "close_range");
  /* The agent's /proc (the VM's processes) came with the copy of its mounts: the check gets one of its own. */
  if (umount2("/proc", MNT_DETACH) != 0 && errno != EINVAL) init_failed(ready, "unmounting the agent's /proc");
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) init_failed(ready, "mounting the world's /proc");
  if (chdir("/") != 0) init_failed(ready, "chdir /");
  /* The agent keeps itself undumpable; the init looks like any root process outside a jail, as PID 1 did before. */
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) init_failed(ready, "prctl(PR_SET_DUMPABLE)");
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) init_failed(ready, "ptrace(PTRACE_TRACEME)");
  if (raise(SIGSTOP) != 0) init_failed(ready, "raise(SIGSTOP)");
  if (check_filter_install(filter) != 0) init_failed(ready, "installing the check's seccomp filter");
  if (write(ready, "ready\n", 6) != 6) _exit(126);
  close(ready);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  for (;;) {
    while (waitpid(-1, NULL, WNOHANG | __WALL) > 0) {
    }
    sigwaitinfo(&chld, NULL);
  }
}

int check_ns_enter(struct check_ns *ns, struct tracer *t, const struct check_filter *filter, char **err) {
  memset(ns, 0, sizeof *ns);
  ns->pidfd = ns->mnt_fd = -1;
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) die("pipe: %m");
  pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    *err = xasprintf("making the check's namespaces: %s", strerror(errno));
    close(ready[0]);
    close(ready[1]);
    return -1;
  }
  if (pid == 0) {
    close(ready[0]);
    init_main(ready[1], filter);
  }
  close(ready[1]);
  ns->init = pid;
  int status;
  pid_t w;
  while ((w = waitpid(pid, &status, __WALL)) < 0 && errno == EINTR) {
  }
  if (w == pid && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP) tracer_adopt_stopped(t, pid, ROLE_INIT);
  char msg[256] = {0};
  size_t len = 0;
  long long deadline = monotonic_ms() + INIT_READY_MS;
  while (len < sizeof msg - 1 && !memchr(msg, '\n', len)) {
    struct pollfd p = {.fd = ready[0], .events = POLLIN};
    long long left = deadline - monotonic_ms();
    if (left <= 0 || poll(&p, 1, (int)left) <= 0) break;
    ssize_t n = read(ready[0], msg + len, sizeof msg - 1 - len);
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(ready[0]);
  msg[strcspn(msg, "\n")] = 0;
  if (strcmp(msg, "ready") != 0) {
    *err = xasprintf("starting the check's init: %s", msg[0] ? msg : "it did not say it was ready");
    return -1;
  }
  ns->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/mnt", pid);
  ns->mnt_fd = open(path, O_RDONLY | O_CLOEXEC);
  if (ns->pidfd < 0 || ns->mnt_fd < 0 || setns(ns->pidfd, CLONE_NEWPID) != 0) {
    *err = xasprintf("entering the check's namespaces: %s", strerror(errno));
    check_ns_leave(ns);
    return -1;
  }
  return 0;
}

void check_ns_leave(struct check_ns *ns) {
  if (own_pid_ns >= 0 && setns(own_pid_ns, CLONE_NEWPID) != 0) die("setns back to the agent's PID namespace: %m");
  if (ns->pidfd >= 0) close(ns->pidfd);
  if (ns->mnt_fd >= 0) close(ns->mnt_fd);
  ns->pidfd = ns->mnt_fd = -1;
}
