#define _GNU_SOURCE
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "baseline.h"
#include "cgroup.h"
#include "pty.h"
#include "util.h"

#define CHECK_CGROUP "check"
#define ACCOMPLICE_CGROUP "accomplices"
#define READ_CHUNK 65536

static const char *const child_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME=/root",
    "TERM=xterm-256color",
    NULL,
};

struct outcome {
  int main_status;
  int main_done;
  int limit;
  char detail[256];
};

static void send_output(int port, uint32_t index, const char *data, size_t len) {
  static struct wire_out o;
  wire_begin(&o, MSG_OUTPUT);
  wire_put_u32(&o, T_INDEX, index);
  wire_put(&o, T_DATA, data, (uint32_t)len);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
}

static void reap(pid_t main_pid, struct outcome *out) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == main_pid) {
      out->main_status = status;
      out->main_done = 1;
    }
  }
}

static void drain_signalfd(int sigchld_fd) {
  struct signalfd_siginfo si;
  while (read(sigchld_fd, &si, sizeof si) == sizeof si) {
  }
}

/* Each accomplice is a helper process outside the jail that a probe needs. It says it is ready by closing fd 3. */
static void start_accomplices(const struct check *c) {
  if (c->naccomplices == 0) return;
  cgroup_create(ACCOMPLICE_CGROUP, 32u << 20, 32);
  for (int i = 0; i < c->naccomplices; i++) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) die("pipe: %m");
    pid_t pid = fork();
    if (pid < 0) die("fork: %m");
    if (pid == 0) {
      sigset_t all;
      sigemptyset(&all);
      sigprocmask(SIG_SETMASK, &all, NULL);
      setsid();
      cgroup_enter(ACCOMPLICE_CGROUP);
      int devnull = open("/dev/null", O_RDWR);
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
      dup2(ready[1], 3);
      close_range(4, ~0U, 0);
      chdir("/");
      char *path = xasprintf("%s/%s", STAGE_DIR, c->accomplices[i]);
      char *argv[] = {path, JAIL_DIR, c->nonce, NULL};
      execve(path, argv, (char *const *)child_env);
      _exit(127);
    }
    close(ready[1]);
    struct pollfd p = {.fd = ready[0], .events = POLLIN};
    poll(&p, 1, 2000);
    close(ready[0]);
  }
}

static void start_program(const struct check *c, int slave, pid_t *pid_out) {
  char *probe_path = xasprintf("/bin/%s", c->probe_name);
  pid_t pid = fork();
  if (pid < 0) die("fork: %m");
  if (pid == 0) {
    enter_pty_session(slave);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    if (cgroup_enter(CHECK_CGROUP) != 0) {
      dprintf(2, "jaillab: could not apply limits: %m\n");
      _exit(126);
    }
    if (chdir(PROGRAM_CWD) != 0) _exit(126);
    close_range(3, ~0U, 0);
    umask(022);
    char *argv[] = {PROGRAM_PATH, JAIL_DIR, probe_path, c->nonce, NULL};
    execve(PROGRAM_PATH, argv, (char *const *)child_env);
    dprintf(2, "jaillab: cannot start your program: %m\n");
    _exit(127);
  }
  free(probe_path);
  *pid_out = pid;
}

static void discard_output(int master) {
  static char sink[READ_CHUNK];
  while (read(master, sink, sizeof sink) > 0) {
  }
}

/* Forwards what the pty has to the host, up to the check's output limit. */
static void pump_output(int port, int master, const struct check *c, size_t *sent, struct outcome *out) {
  static char buf[READ_CHUNK];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* EAGAIN: nothing more now; EIO: every writer has closed the slave */
    size_t room = c->output_bytes > *sent ? c->output_bytes - *sent : 0;
    size_t take = (size_t)n < room ? (size_t)n : room;
    if (take) send_output(port, c->index, buf, take);
    *sent += take;
    if ((size_t)n > take && out->limit == LIMIT_NONE) {
      out->limit = LIMIT_OUTPUT;
      cgroup_kill(CHECK_CGROUP);
    }
  }
}

static void send_done(int port, const struct check *c, const struct outcome *out, long long wall_ms) {
  struct wire_out o = {0};
  wire_begin(&o, MSG_CHECK_DONE);
  wire_put_u32(&o, T_INDEX, c->index);
  int code = -1, sig = 0;
  if (out->main_done && WIFEXITED(out->main_status)) code = WEXITSTATUS(out->main_status);
  if (out->main_done && WIFSIGNALED(out->main_status)) sig = WTERMSIG(out->main_status);
  wire_put_u32(&o, T_EXIT_CODE, (uint32_t)code);
  wire_put_u32(&o, T_SIGNAL, (uint32_t)sig);
  uint8_t limit = (uint8_t)out->limit;
  wire_put(&o, T_LIMIT, &limit, 1);
  wire_put_u32(&o, T_WALL_MS, (uint32_t)wall_ms);
  size_t proof_len = 0;
  char *proof = world_read_proof(&proof_len);
  if (proof) wire_put(&o, T_PROOF, proof, (uint32_t)proof_len);
  free(proof);
  if (out->detail[0]) wire_put_str(&o, T_DETAIL, out->detail);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}

static void send_setup_error(int port, const struct check *c, const char *err) {
  struct outcome out = {.main_done = 0, .limit = LIMIT_NONE};
  snprintf(out.detail, sizeof out.detail, "setup failed: %s", err);
  send_done(port, c, &out, 0);
}

void run_check(int port, int sigchld_fd, const struct check *c) {
  char *err = NULL;
  kill_stray_processes();
  /* A previous check may have filled the disk or mounted over the world: undo that first. Not fatal by itself:
   * if what is left still gets in the way, preparing the check fails with the reason. */
  if (baseline_restore(&err) != 0) {
    logmsg("%s", err);
    free(err);
    err = NULL;
  }
  if (world_prepare_check(c, &err) != 0 || cgroup_create(CHECK_CGROUP, c->mem_bytes, c->pids) != 0) {
    send_setup_error(port, c, err ? err : "creating the check's cgroup");
    free(err);
    return;
  }
  start_accomplices(c);
  drain_signalfd(sigchld_fd);

  int slave;
  /* The agent keeps its own slave fd open while the check runs, so the master
   * never reports a hang-up before the program has opened its side; it closes it
   * once the program's processes are gone and then drains what is left. */
  int master = open_pty(120, 40, &slave);
  struct outcome out = {.limit = LIMIT_NONE};
  long long started = monotonic_ms();
  long long deadline = started + c->wall_ms;
  pid_t main_pid;
  start_program(c, slave, &main_pid);

  size_t sent = 0;
  long long stall_start = -1;
  for (;;) {
    reap(main_pid, &out);
    int running = cgroup_populated(CHECK_CGROUP);
    if (!running && out.main_done) break;
    if (out.limit == LIMIT_NONE && cgroup_memory_exhausted(CHECK_CGROUP, c->mem_bytes, &stall_start)) {
      out.limit = LIMIT_MEMORY;
      cgroup_kill(CHECK_CGROUP);
    }
    long long now = monotonic_ms();
    if (now >= deadline && out.limit == LIMIT_NONE) {
      out.limit = LIMIT_TIME;
      cgroup_kill(CHECK_CGROUP);
    }
    /* After a kill, give the kernel a moment to tear the group down, then stop waiting. */
    if (out.limit != LIMIT_NONE && now >= deadline + 2000) {
      snprintf(out.detail, sizeof out.detail, "processes outlived the kill");
      break;
    }
    int timeout = out.limit == LIMIT_NONE ? (int)(deadline - now) : 20;
    if (timeout > 50) timeout = 50;
    if (timeout < 0) timeout = 0;
    struct pollfd p[2] = {{.fd = master, .events = POLLIN}, {.fd = sigchld_fd, .events = POLLIN}};
    int n = poll(p, 2, timeout);
    if (n < 0 && errno != EINTR) die("poll: %m");
    if (p[1].revents) drain_signalfd(sigchld_fd);
    if (p[0].revents & POLLIN) {
      if (out.limit == LIMIT_OUTPUT) discard_output(master);
      else pump_output(port, master, c, &sent, &out);
    }
  }
  long long wall = monotonic_ms() - started;
  close(slave);
  if (out.limit == LIMIT_OUTPUT) discard_output(master);
  else pump_output(port, master, c, &sent, &out);
  close(master);

  /* The reason a killed program died is usually a limit it ran into before. */
  if (cgroup_stat(CHECK_CGROUP, "memory.events", "oom_kill") > 0) out.limit = LIMIT_MEMORY;
  else if (out.limit != LIMIT_MEMORY && out.limit != LIMIT_OUTPUT && cgroup_stat(CHECK_CGROUP, "pids.events", "max") > 0) out.limit = LIMIT_PROCESSES;

  cgroup_kill(CHECK_CGROUP);
  cgroup_kill(ACCOMPLICE_CGROUP);
  kill_stray_processes();
  send_done(port, c, &out, wall);
  cgroup_remove(CHECK_CGROUP);
  cgroup_remove(ACCOMPLICE_CGROUP);
}

void kill_stray_processes(void) {
  for (int round = 0; round < 50; round++) {
    int found = 0;
    DIR *d = opendir("/proc");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
      pid_t pid = atoi(e->d_name);
      if (pid <= 1) continue;
      char path[64];
      snprintf(path, sizeof path, "/proc/%d/stat", pid);
      char *stat = read_file(path, 1024, NULL);
      if (!stat) continue;
      /* Field 9 (flags) has PF_KTHREAD for kernel threads; skip them. Fields start after the ")" of comm. */
      char *p = strrchr(stat, ')');
      unsigned long flags = 0;
      int ppid = 0;
      if (p) sscanf(p + 2, "%*c %d %*d %*d %*d %*d %lu", &ppid, &flags);
      free(stat);
      if (flags & 0x00200000UL) continue;
      if (kill(pid, SIGKILL) == 0) found = 1;
    }
    closedir(d);
    int status;
    while (waitpid(-1, &status, WNOHANG) > 0) {
    }
    if (!found) return;
    usleep(2000);
  }
}
