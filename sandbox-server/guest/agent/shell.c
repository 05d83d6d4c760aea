#define _GNU_SOURCE
#include "shell.h"

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

#include "cgroup.h"
#include "child.h"
#include "runner.h"
#include "pty.h"
#include "util.h"
#include "world.h"

#define SHELL_CGROUP "shell"
#define READ_CHUNK 16384
#define MAX_PROBES 16

/* Busybox applets linked into the jail's /bin for the shell session only: enough to look around. */
static const char *const jail_applets[] = {"sh", "ls", "cat", "echo", "pwd", "id", "stat", "find", "head", "grep", "wc", "env", "ps", "readlink", NULL};

struct extra_probe {
  char *staged;
  char *name;
};

static void send_exit(int port, int status, int started, const char *detail) {
  struct wire_out o = {0};
  wire_begin(&o, MSG_SHELL_EXIT);
  wire_put_exit(&o, status, started);
  if (detail) wire_put_str(&o, T_DETAIL, detail);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}

/* The probes after the first (world_prepare_check installs that one), in the order the host sent them. */
static int collect_probes(const struct wire_msg *m, struct extra_probe *out) {
  int nprobe = 0, nname = 0;
  for (int i = 0; i < m->nfields; i++) {
    const struct wire_field *f = &m->fields[i];
    if (f->tag == T_PROBE && nprobe < MAX_PROBES) out[nprobe++].staged = strndup((const char *)f->data, f->len);
    if (f->tag == T_PROBE_NAME && nname < MAX_PROBES) out[nname++].name = strndup((const char *)f->data, f->len);
  }
  return nprobe < nname ? nprobe : nname;
}

static int install_extras(const struct extra_probe *p, int n, char **err) {
  for (int i = 1; i < n; i++) {
    if (!safe_relative_path(p[i].staged) || !safe_relative_path(p[i].name) || strchr(p[i].name, '/')) {
      *err = xasprintf("unsafe probe path");
      return -1;
    }
    char *src = xasprintf("%s/%s", STAGE_DIR, p[i].staged);
    char *dst = xasprintf("%s/bin/%s", JAIL_DIR, p[i].name);
    int rc = copy_tree(src, dst) == 0 ? chmod(dst, 0755) : -1;
    free(src);
    free(dst);
    if (rc != 0) {
      *err = xasprintf("installing probe %s: %s", p[i].name, strerror(errno));
      return -1;
    }
  }
  if (copy_tree("/bin/busybox", JAIL_DIR "/bin/busybox") != 0 || chmod(JAIL_DIR "/bin/busybox", 0755) != 0) {
    *err = xasprintf("putting busybox in the jail: %s", strerror(errno));
    return -1;
  }
  for (const char *const *a = jail_applets; *a; a++) {
    char *link = xasprintf("%s/bin/%s", JAIL_DIR, *a);
    symlink("busybox", link); /* an existing file of that name (a lesson's own) wins */
    free(link);
  }
  return 0;
}

/* Outside the jail, every busybox applet is on PATH (the image has only /bin/busybox and /bin/sh). */
static void install_outside_applets(void) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl("/bin/busybox", "busybox", "--install", "-s", "/bin", (char *)NULL);
    _exit(127);
  }
  if (pid > 0) waitpid(pid, NULL, 0);
}

static pid_t start_shell(int slave, const gid_t *groups, int ngroups) {
  char *argv[] = {"sh", NULL};
  /* Without its cgroup the shell would run without the lesson's limits: like a check, it then does not run. */
  struct child_spec spec = {
      .path = "/bin/busybox", .argv = argv, .env = shell_child_env, .cgroup = SHELL_CGROUP, .cwd = PROGRAM_CWD,
      .stdin_fd = slave, .stdout_fd = slave, .stderr_fd = slave, .ctty_fd = slave, .fd3 = -1, .fd4 = -1, .error_fd = 2,
      .groups = groups, .ngroups = ngroups,
  };
  return spawn_child(&spec);
}

static void pump_pty(int port, int master) {
  static char buf[READ_CHUNK];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    send_child_output(port, MSG_SHELL_OUTPUT, 0, 0, buf, (size_t)n);
  }
}

static void take_input(int port, int master, struct wire_in *in) {
  (void)port;
  struct wire_msg msg;
  while (wire_peek(in, &msg)) {
    if (msg.type == MSG_SHELL_INPUT) {
      const struct wire_field *d = wire_get(&msg, T_DATA);
      /* The pty's input queue is small: write it all, waiting for the shell to read. */
      if (d && d->len) {
        int flags = fcntl(master, F_GETFL);
        if (flags < 0 || fcntl(master, F_SETFL, flags & ~O_NONBLOCK) != 0) die("shell pty: %m");
        /* A shell that is gone (EIO) takes no input: its exit is reported by the loop, not here. */
        if (write_all(master, d->data, d->len) != 0 && errno != EIO) logmsg("writing to the shell: %m");
        if (fcntl(master, F_SETFL, flags) != 0) die("shell pty: %m");
      }
    } else if (msg.type == MSG_SHELL_RESIZE) {
      struct winsize ws = {.ws_row = (unsigned short)wire_get_u32(&msg, T_ROWS, 24), .ws_col = (unsigned short)wire_get_u32(&msg, T_COLS, 80)};
      ioctl(master, TIOCSWINSZ, &ws); /* the kernel sends SIGWINCH to the pty's foreground group */
    }
    wire_consume(in);
  }
}

void run_shell(int port, int sigchld_fd, struct wire_in *in, const struct wire_msg *m) {
  struct check c;
  char *err = NULL;
  struct extra_probe probes[MAX_PROBES] = {{0}};
  int nprobes = collect_probes(m, probes);
  uint32_t cols = wire_get_u32(m, T_COLS, 80), rows = wire_get_u32(m, T_ROWS, 24);
  int ok = check_from_msg(m, &c, &err) == 0;
  /* Everything needed is copied out of the frame: let it go, so input frames can be read below. */
  wire_consume(in);
  kill_stray_processes();
  if (ok) ok = world_prepare_check(&c, &err) == 0 && install_extras(probes, nprobes, &err) == 0;
  if (ok && cgroup_create(SHELL_CGROUP, c.mem_bytes, c.pids < 64 ? 64 : c.pids) != 0) {
    err = xasprintf("creating the shell's cgroup: %s", strerror(errno));
    ok = 0;
  }
  for (int i = 0; i < MAX_PROBES; i++) {
    free(probes[i].staged);
    free(probes[i].name);
  }
  /* The shell starts in the world of the lesson's checks, groups included: `jailer` typed there runs as a check's does. */
  gid_t groups[CHECK_MAX_GROUPS];
  int ngroups = ok ? c.ngroups : 0;
  memcpy(groups, c.groups, sizeof groups);
  check_free(&c);
  if (!ok) {
    send_exit(port, 0, 0, err ? err : "preparing the shell failed");
    free(err);
    return;
  }
  install_outside_applets();

  int slave;
  int master = open_pty((unsigned short)cols, (unsigned short)rows, &slave);
  pid_t pid = start_shell(slave, groups, ngroups);
  close(slave); /* the shell holds its side; EIO on the master then means it is gone */
  int status = 0, done = 0;
  while (!done) {
    /* Input may already be buffered: it can arrive in the same read as MSG_SHELL itself. */
    take_input(port, master, in);
    struct pollfd p[3] = {{.fd = port, .events = POLLIN}, {.fd = master, .events = POLLIN}, {.fd = sigchld_fd, .events = POLLIN}};
    if (poll(p, 3, 1000) < 0 && errno != EINTR) die("poll: %m");
    if (p[0].revents & POLLIN) {
      if (wire_fill(in, port) < 0) die("reading from the host: %m");
      take_input(port, master, in);
    }
    if (p[1].revents & (POLLIN | POLLHUP)) pump_pty(port, master);
    if (p[2].revents) drain_signalfd(sigchld_fd);
    pid_t r;
    int st;
    while ((r = waitpid(-1, &st, WNOHANG)) > 0)
      if (r == pid) {
        status = st;
        done = 1;
      }
  }
  pump_pty(port, master);
  close(master);
  cgroup_kill(SHELL_CGROUP);
  kill_stray_processes();
  send_exit(port, status, 1, NULL);
  cgroup_remove(SHELL_CGROUP);
}
