#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "pty.h"
#include "util.h"

#define BASE_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TERM=xterm-256color"

const char *const child_env[] = {BASE_ENV, NULL};
const char *const shell_child_env[] = {BASE_ENV, "PS1=\\[\\e[1;32m\\]jaillab\\[\\e[0m\\]:\\w# ", NULL};

/* In the child, after fork: says which call failed and why, then exits without running anything. */
static void __attribute__((noreturn, format(printf, 2, 3))) setup_failed(int fd, const char *fmt, ...) {
  int err = errno;
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  dprintf(fd, "jaillab: %s: %s\n", what, strerror(err));
  _exit(CHILD_SETUP_FAILED);
}

/* Makes fd `target` refer to `source` (or /dev/null for -1). */
static void place_fd(int source, int target, int error_fd) {
  int fd = source;
  if (fd < 0 && (fd = open("/dev/null", O_RDWR)) < 0) setup_failed(error_fd, "open /dev/null");
  if (fd != target && dup2(fd, target) < 0) setup_failed(error_fd, "dup2 onto fd %d", target);
}

/*
 * fork(), but born in the cgroup (CLONE_INTO_CGROUP): moving a process between cgroups afterwards takes a lock
 * whose writer waits for an RCU grace period, milliseconds under TCG, for every check's program and accomplice.
 * *placed says whether it is in it; a cgroup that cannot be opened gives a plain fork, whose child then refuses
 * to run (it would run without its limits).
 */
static pid_t fork_into(const char *cgroup, int *placed, int *why) {
  *placed = 0;
  if (!cgroup) return fork();
  char *dir = xasprintf("%s/%s", CGROUP_ROOT, cgroup);
  int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  *why = errno;
  free(dir);
  if (fd < 0) return fork();
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = CLONE_INTO_CGROUP;
  args.exit_signal = SIGCHLD;
  args.cgroup = (uint64_t)fd;
  pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
  *why = errno;
  close(fd);
  if (pid >= 0) {
    *placed = 1;
    return pid;
  }
  /* The cgroup refuses members (a program sabotaged it): a plain child, which says so and never runs. */
  return fork();
}

pid_t spawn_child(const struct child_spec *s) {
  int placed, why = 0;
  pid_t pid = fork_into(s->cgroup, &placed, &why);
  if (pid < 0) die("fork: %m");
  if (pid > 0) return pid;

  /* Until the descriptors are in place, a failure goes where the error fd will come from. The sources are all
   * above 3 (0-2 are the agent's console, 3 and 4 its signalfd and port), so no dup2 below clobbers another. */
  int source_of_error = s->error_fd == 3 ? s->fd3 : s->error_fd == 1 ? s->stdout_fd : s->stderr_fd;
  int early = source_of_error >= 0 ? source_of_error : 2;
  /* The agent blocks SIGCHLD and ignores SIGPIPE: a program must start with neither. */
  if (s->ctty_fd >= 0) {
    if (enter_pty_session(s->ctty_fd) != 0) setup_failed(early, "a session with the pty as its terminal");
  } else {
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0 || signal(SIGPIPE, SIG_DFL) == SIG_ERR || setsid() < 0) setup_failed(early, "signals and a session of its own");
  }
  /* In the check's mount namespace before any path is used, so every path below is the check's world. */
  if (s->mnt_ns_fd > 2 && setns(s->mnt_ns_fd, CLONE_NEWNS) != 0) setup_failed(early, "setns into the check's mount namespace");
  if (s->fd3 >= 0 && dup2(s->fd3, 3) < 0) setup_failed(early, "dup2 onto fd 3");
  if (s->fd4 >= 0 && dup2(s->fd4, 4) < 0) setup_failed(early, "dup2 onto fd 4");
  place_fd(s->stdin_fd, 0, early);
  place_fd(s->stdout_fd, 1, early);
  place_fd(s->stderr_fd, 2, early);
  if (s->cgroup && !placed) {
    errno = why;
    setup_failed(s->error_fd, "could not apply limits (cgroup %s)", s->cgroup);
  }
  if (chdir(s->cwd) != 0) setup_failed(s->error_fd, "chdir %s", s->cwd);
  /* Set in every case, so the list is exactly the lesson's: the agent's own is empty, a login shell's is not. */
  if (setgroups((size_t)s->ngroups, s->groups) != 0) setup_failed(s->error_fd, "setgroups (%d groups)", s->ngroups);
  unsigned first_closed = s->fd4 >= 0 ? 5 : s->fd3 >= 0 ? 4 : 3;
  if (close_range(first_closed, ~0U, 0) != 0) setup_failed(s->error_fd, "close_range");
  umask(022);
  if (s->traced && ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) setup_failed(s->error_fd, "ptrace(PTRACE_TRACEME)");
  /* The tracer sets its options while we wait here, before the filter's first SECCOMP_RET_TRACE needs them. */
  if (s->traced && raise(SIGSTOP) != 0) setup_failed(s->error_fd, "raise(SIGSTOP) for the tracer");
  if (s->filter && check_filter_install(s->filter) != 0) setup_failed(s->error_fd, "installing the check's seccomp filter");
  execve(s->path, s->argv, (char *const *)s->env);
  dprintf(s->error_fd, "jaillab: cannot start %s: %s\n", s->path, strerror(errno));
  _exit(CHILD_EXEC_FAILED);
}

void send_child_output(int port, uint8_t type, int with_index, uint32_t index, const char *data, size_t len) {
  static struct wire_out o;
  wire_begin(&o, type);
  if (with_index) wire_put_u32(&o, T_INDEX, index);
  wire_put(&o, T_DATA, data, (uint32_t)len);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
}

void wire_put_exit(struct wire_out *o, int status, int ran) {
  int code = ran && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  int sig = ran && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  wire_put_u32(o, T_EXIT_CODE, (uint32_t)code);
  wire_put_u32(o, T_SIGNAL, (uint32_t)sig);
}

void drain_signalfd(int sigchld_fd) {
  struct signalfd_siginfo si;
  while (read(sigchld_fd, &si, sizeof si) == sizeof si) {
  }
}
