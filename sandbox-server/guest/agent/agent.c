/*
 * jaillab-agent: PID 1 of every JailLab guest. It prepares the system, says
 * READY on the virtio-serial port, and then serves one job: the host stages the
 * learner's program, the probes and the jail tree, then asks for checks one by
 * one. A VM serves exactly one job and is then destroyed by the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "cgroup.h"
#include "check_ns.h"
#include "runner.h"
#include "shell.h"
#include "util.h"
#include "wire.h"
#include "world.h"

#define PORT_PATH "/dev/vport0p1"

static void mount_or_die(const char *src, const char *dst, const char *type, unsigned long flags, const char *data) {
  mkdir_p(dst, 0755);
  if (mount(src, dst, type, flags, data) != 0 && errno != EBUSY) die("mount %s on %s: %m", type, dst);
}

/*
 * The agent judges programs that are root in this VM (docs/security.md, the threat model). The checks' processes
 * cannot name it (check_ns.h); these close what is left to a process that could: a kernel helper a program sets
 * off (core_pattern, modprobe, a release_agent) runs as root in the agent's namespaces.
 */
static void harden(void) {
  /* Mounts in a check's namespace must never come back here, nor ours go there: no propagation at all. */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("making / private: %m");
  /* Undumpable: another process of uid 0 needs CAP_SYS_PTRACE to read our memory or take our descriptors... */
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) die("prctl(PR_SET_DUMPABLE): %m");
  /* ...and the kernel's helpers never get it (nor any power but file access: they still read and write as root). */
  static const char file_powers[] = "15 0"; /* CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER */
  if (write_setting("/proc/sys/kernel/usermodehelper/bset", file_powers) != 0 || write_setting("/proc/sys/kernel/usermodehelper/inheritable", file_powers) != 0)
    die("limiting the kernel's helpers: %m");
  /* No new kernel code once the agent runs (the guest's modules are loaded by /init): defence in depth behind the
   * check filter's refusals (check_filter.h) and the kernel's lockdown=integrity. */
  if (write_setting("/proc/sys/kernel/kexec_load_disabled", "1") != 0 || write_setting("/proc/sys/kernel/modules_disabled", "1") != 0)
    die("disabling kexec and module loading: %m");
  check_ns_setup();
}

static void setup_system(void) {
  mount_or_die("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount_or_die("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount_or_die("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  mount_or_die("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
  /* /dev/ptmx must be the new devpts instance's, or ptys would come from devtmpfs's (shared with nothing, but wrong). */
  if ((unlink("/dev/ptmx") != 0 && errno != ENOENT) || symlink("pts/ptmx", "/dev/ptmx") != 0) die("/dev/ptmx: %m");
  mount_or_die("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777");
  cgroup_setup();
  /* The learner's program may exhaust memory; the kernel must pick it, never us. */
  if (write_setting("/proc/self/oom_score_adj", "-1000") != 0) die("oom_score_adj: %m");
  harden();
}

static int open_port(void) {
  for (int i = 0; i < 2000; i++) {
    int fd = open(PORT_PATH, O_RDWR | O_CLOEXEC);
    if (fd >= 0) return fd;
    if (errno != ENXIO && errno != ENOENT) die("open %s: %m", PORT_PATH);
    usleep(5000);
  }
  die("%s never appeared", PORT_PATH);
}

static void send_simple(int port, uint8_t type, uint8_t tag, const char *text) {
  struct wire_out o = {0};
  wire_begin(&o, type);
  if (text) wire_put_str(&o, tag, text);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}

static void apply_job(const struct wire_msg *m) {
  /* From the JOB_READY answer on, every frame is signed with the job's key (wire.h). */
  const struct wire_field *key = wire_get(m, T_KEY);
  if (!key || key->len != 32) die("the job has no key to sign its frames with");
  wire_sign(key->data);
  uint64_t ns = wire_get_u64(m, T_TIME_NS, 0);
  if (ns) {
    /* Restored clones wake with the template's clock: take the host's. */
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull), .tv_nsec = (long)(ns % 1000000000ull)};
    if (clock_settime(CLOCK_REALTIME, &ts) != 0) logmsg("clock_settime: %m");
  }
  const struct wire_field *e = wire_get(m, T_ENTROPY);
  if (e && e->len > 0 && e->len <= 512) {
    /* Every clone starts with the template's RNG state: mix in the host's randomness, credited. */
    struct {
      int entropy_count;
      int buf_size;
      unsigned char buf[512];
    } pool;
    pool.entropy_count = (int)e->len * 8;
    pool.buf_size = (int)e->len;
    memcpy(pool.buf, e->data, e->len);
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (ioctl(fd, RNDADDENTROPY, &pool) != 0) logmsg("RNDADDENTROPY: %m");
      close(fd);
    }
  }
  world_reset();
}

static void handle(int port, int sigchld_fd, struct wire_in *in, const struct wire_msg *m) {
  char *err = NULL;
  switch (m->type) {
    case MSG_JOB:
      apply_job(m);
      send_simple(port, MSG_JOB_READY, 0, NULL);
      break;
    case MSG_FILE:
      if (world_stage_file(m, &err) != 0) send_simple(port, MSG_ERROR, T_MESSAGE, err);
      break;
    case MSG_SYNC:
      send_simple(port, MSG_SYNCED, 0, NULL);
      break;
    case MSG_PRELOAD:
      if (world_preload_file(m, &err) != 0) send_simple(port, MSG_ERROR, T_MESSAGE, err);
      break;
    case MSG_SEAL:
      /* What was preloaded is part of the world every check starts from. */
      baseline_record();
      send_simple(port, MSG_SYNCED, 0, NULL);
      break;
    case MSG_CHECK: {
      struct check c;
      if (check_from_msg(m, &c, &err) != 0) send_simple(port, MSG_ERROR, T_MESSAGE, err);
      else run_check(port, sigchld_fd, &c);
      check_free(&c);
      break;
    }
    case MSG_SHELL:
      run_shell(port, sigchld_fd, in, m);
      break;
    default:
      err = xasprintf("unknown message type %u", m->type);
      send_simple(port, MSG_ERROR, T_MESSAGE, err);
  }
  free(err);
}

int main(void) {
  if (getpid() != 1) logmsg("not PID 1: orphans will not be reaped by us");
  /* Modes the agent gives are exact (world.c); its children set their own umask (child.c). */
  umask(0);
  setup_system();

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sigchld_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sigchld_fd < 0) die("signalfd: %m");
  signal(SIGPIPE, SIG_IGN);

  int port = open_port();
  world_reset();
  /* Before READY, so the snapshot every clone starts from already holds it. */
  baseline_record();
  send_simple(port, MSG_READY, T_VERSION, AGENT_VERSION);

  struct wire_in in = {0};
  struct wire_msg msg;
  for (;;) {
    while (wire_peek(&in, &msg)) {
      handle(port, sigchld_fd, &in, &msg);
      wire_consume(&in);
    }
    struct pollfd p = {.fd = port, .events = POLLIN};
    if (poll(&p, 1, 1000) < 0 && errno != EINTR) die("poll: %m");
    long n = wire_fill(&in, port);
    if (n < 0) die("reading from the host: %m");
    /* 0 means no host is connected yet (a fresh clone before the pool attaches): wait, do not spin. */
    if (n == 0) usleep(2000);
  }
}
