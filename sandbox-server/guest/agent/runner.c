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
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "baseline.h"
#include "cgroup.h"
#include "child.h"
#include "pty.h"
#include "race.h"
#include "recorder.h"
#include "seccomp_trace.h"
#include "tracer.h"
#include "util.h"

#define CHECK_CGROUP "check"
#define ACCOMPLICE_CGROUP "accomplices"
#define READ_CHUNK 65536
/* How long the kernel gets to tear a killed check's cgroup down before the agent stops waiting for it. */
#define KILL_GRACE_MS 2000

/* A check's phases as the agent times them (microseconds; -1: did not happen), sent in CHECK_DONE. */
struct phases {
  long long prepare_us, accomplices_us, probe_started_us, kill_us, drain_us;
  long long strays_us, baseline_us, world_us; /* the parts of prepare_us */
};

struct outcome {
  int main_status;
  int main_done;
  int limit;
  char detail[256];
  struct phases t;
};

/* The probe's first line (probe.h's PROBE_STARTED), spotted in the output stream as it passes: its prefix
 * never recurs inside it, so a mismatch can restart the match at the current byte. */
static const char probe_started_marker[] = "jaillab-probe: started";

struct marker_scan {
  size_t matched;
  int seen;
};

static int scan_for_marker(struct marker_scan *m, const char *data, size_t len) {
  for (size_t i = 0; i < len && !m->seen; i++) {
    if (data[i] == probe_started_marker[m->matched]) m->matched++;
    else m->matched = data[i] == probe_started_marker[0];
    if (m->matched == sizeof probe_started_marker - 1) m->seen = 1;
  }
  return m->seen;
}

/* At most this many wait results per pass of the check loop: a traced fork bomb stops without end, and an
 * unbounded reap would never get back to the deadline and the limits. */
#define REAP_BATCH 256

/* Reaps what has ended, and hands the stops of traced processes to the tracer (which resumes them). Returns the
 * wait results handled; REAP_BATCH means there may be more waiting. */
static int reap(pid_t main_pid, struct tracer *tracer, struct outcome *out, int *handled) {
  int status, stops = 0;
  pid_t pid;
  *handled = 0;
  while (*handled < REAP_BATCH && (pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
    ++*handled;
    if (tracer && tracer_handle(tracer, pid, status)) {
      stops++;
      continue;
    }
    if (pid == main_pid) {
      out->main_status = status;
      out->main_done = 1;
    }
  }
  return stops;
}

/* A traced check's hooks: the race's (on cue) and the escape replay's, either may be absent. */
struct check_hooks {
  struct race *race;
  struct recorder *rec;
};

static void on_check_syscall(void *ctx, const struct syscall_stop *s) {
  struct check_hooks *h = ctx;
  if (h->rec) recorder_on_syscall(h->rec, s);
  if (!h->race) return;
  int swapped = race_swapped(h->race);
  race_on_syscall(h->race, s);
  /* The swap happens while the call waits at its entry: the replay shows it just before that call. */
  if (!swapped && race_swapped(h->race) && h->rec)
    recorder_note(h->rec, s->pid, PROC_ACCOMPLICE, "swap", "the accomplice swapped the symlink on the jail's path while this process waited at the entry of its next call");
}

static void on_check_start(void *ctx, pid_t pid) {
  struct check_hooks *h = ctx;
  if (h->rec) recorder_on_start(h->rec, pid);
}

/* How long an accomplice may take to say it is ready (TCG under load is slow to start processes). */
#define ACCOMPLICE_READY_MS 5000

/*
 * Waits for an accomplice's word on its ready pipe: "ready" (probe.h's accomplice_ready()), or the reason
 * its set-up failed. Returns 0 when ready; otherwise -1 with *err saying why.
 */
static int await_ready(int fd, pid_t pid, const char *name, char **err) {
  char buf[256];
  size_t len = 0;
  long long deadline = monotonic_ms() + ACCOMPLICE_READY_MS;
  for (;;) {
    long long left = deadline - monotonic_ms();
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = left > 0 ? poll(&p, 1, (int)left) : 0;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *err = xasprintf("the accomplice of %s did not say it was ready within %d s", name, ACCOMPLICE_READY_MS / 1000);
      return -1;
    }
    ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) {
      len += (size_t)r;
      buf[len] = 0;
      if (strncmp(buf, "ready", 5) == 0) return 0;
      if (len < sizeof buf - 1 && !memchr(buf, '\n', len)) continue;
    }
    buf[len] = 0;
    buf[strcspn(buf, "\n")] = 0;
    if (len > 0) {
      *err = xasprintf("the accomplice of %s could not start: %s", name, buf);
      return -1;
    }
    /* The pipe closed unannounced: the accomplice is most likely dying. Give it a moment to become a zombie. */
    int status = 0;
    pid_t w = 0;
    for (int i = 0; i < 50 && (w = waitpid(pid, &status, WNOHANG)) == 0; i++) usleep(10000);
    if (w == pid && WIFEXITED(status))
      *err = xasprintf("the accomplice of %s exited (status %d) before it was ready", name, WEXITSTATUS(status));
    else if (w == pid && WIFSIGNALED(status))
      *err = xasprintf("the accomplice of %s was killed by signal %d before it was ready", name, WTERMSIG(status));
    else
      *err = xasprintf("the accomplice of %s closed its ready pipe without saying ready", name);
    return -1;
  }
}

/* Starts the check's accomplices, helpers outside the jail that a probe needs, each once it is ready. */
static int start_accomplices(const struct check *c, int cue_fd, char **err) {
  if (c->naccomplices == 0) return 0;
  if (cgroup_create(ACCOMPLICE_CGROUP, 32u << 20, 32) != 0) {
    *err = xasprintf("creating the accomplices' cgroup: %s", strerror(errno));
    return -1;
  }
  for (int i = 0; i < c->naccomplices; i++) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) die("pipe: %m");
    char *path = xasprintf("%s/%s", STAGE_DIR, c->accomplices[i]);
    char *argv[] = {path, JAIL_DIR, c->nonce, NULL};
    struct child_spec spec = {
        .path = path, .argv = argv, .env = child_env, .cgroup = ACCOMPLICE_CGROUP, .cwd = "/",
        .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1, .ctty_fd = -1, .fd3 = ready[1], .fd4 = i == 0 ? cue_fd : -1, .error_fd = 3,
    };
    pid_t pid = spawn_child(&spec);
    close(ready[1]);
    int rc = await_ready(ready[0], pid, c->probe_name, err);
    close(ready[0]);
    free(path);
    if (rc != 0) return -1;
  }
  return 0;
}

static pid_t start_program(const struct check *c, int slave, const struct seccomp_trace *trace_filter) {
  char *probe_path = xasprintf("/bin/%s", c->probe_name);
  char *argv[] = {PROGRAM_PATH, JAIL_DIR, probe_path, c->nonce, NULL};
  /* Set-up failures (exit 126) are printed on the pty, where the learner reads them. */
  struct child_spec spec = {
      .path = PROGRAM_PATH, .argv = argv, .env = child_env, .cgroup = CHECK_CGROUP, .cwd = PROGRAM_CWD,
      .stdin_fd = -1, .stdout_fd = slave, .stderr_fd = slave, .ctty_fd = slave, .fd3 = -1, .fd4 = -1, .error_fd = 2, .traced = trace_filter != NULL,
      .trace_filter = trace_filter, .groups = c->groups, .ngroups = c->ngroups,
  };
  pid_t pid = spawn_child(&spec);
  free(probe_path);
  return pid;
}

static void discard_output(int master) {
  static char sink[READ_CHUNK];
  while (read(master, sink, sizeof sink) > 0) {
  }
}

/* What the output pump keeps between reads. */
struct output_state {
  size_t sent;
  struct marker_scan marker;
  long long program_started_us;
};

/* Forwards what the pty has to the host, up to the check's output limit. */
static void pump_output(int port, int master, const struct check *c, struct output_state *st, struct outcome *out) {
  static char buf[READ_CHUNK];
  size_t *sent = &st->sent;
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* EAGAIN: nothing more now; EIO: every writer has closed the slave */
    if (!st->marker.seen && scan_for_marker(&st->marker, buf, (size_t)n)) out->t.probe_started_us = monotonic_us() - st->program_started_us;
    size_t room = c->output_bytes > *sent ? c->output_bytes - *sent : 0;
    size_t take = (size_t)n < room ? (size_t)n : room;
    if (take) send_child_output(port, MSG_OUTPUT, 1, c->index, buf, take);
    *sent += take;
    if ((size_t)n > take && out->limit == LIMIT_NONE) {
      out->limit = LIMIT_OUTPUT;
      cgroup_kill(CHECK_CGROUP);
    }
  }
}

static void send_done(int port, const struct check *c, const struct outcome *out, long long wall_ms, const char *race_note, unsigned long trace_stops) {
  struct wire_out o = {0};
  wire_begin(&o, MSG_CHECK_DONE);
  wire_put_u32(&o, T_INDEX, c->index);
  wire_put_exit(&o, out->main_status, out->main_done);
  uint8_t limit = (uint8_t)out->limit;
  wire_put(&o, T_LIMIT, &limit, 1);
  wire_put_u32(&o, T_WALL_MS, (uint32_t)wall_ms);
  size_t proof_len = 0;
  char *proof = world_read_proof(&proof_len);
  if (proof) wire_put(&o, T_PROOF, proof, (uint32_t)proof_len);
  free(proof);
  if (out->detail[0]) wire_put_str(&o, T_DETAIL, out->detail);
  if (race_note) wire_put_str(&o, T_RACE_NOTE, race_note);
  if (trace_stops) wire_put_u32(&o, T_TRACE_STOPS, trace_stops > UINT32_MAX ? UINT32_MAX : (uint32_t)trace_stops);
  const struct { uint8_t tag; long long us; } phases[] = {
      {T_PREPARE_US, out->t.prepare_us}, {T_ACCOMPLICES_US, out->t.accomplices_us}, {T_PROBE_STARTED_US, out->t.probe_started_us},
      {T_KILL_US, out->t.kill_us}, {T_DRAIN_US, out->t.drain_us},
      {T_STRAYS_US, out->t.strays_us}, {T_BASELINE_US, out->t.baseline_us}, {T_WORLD_US, out->t.world_us},
  };
  for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++)
    if (phases[i].us >= 0) wire_put_u32(&o, phases[i].tag, phases[i].us > UINT32_MAX ? UINT32_MAX : (uint32_t)phases[i].us);
  if (wire_send(port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}

static void send_setup_error(int port, const struct check *c, const char *err) {
  struct outcome out = {.main_done = 0, .limit = LIMIT_NONE, .t = {-1, -1, -1, -1, -1, -1, -1, -1}};
  snprintf(out.detail, sizeof out.detail, "setup failed: %s", err);
  send_done(port, c, &out, 0, NULL, 0);
}

void run_check(int port, int sigchld_fd, const struct check *c) {
  char *err = NULL;
  struct outcome out = {.limit = LIMIT_NONE, .t = {-1, -1, -1, -1, -1, -1, -1, -1}};
  long long phase_start = monotonic_us();
  kill_stray_processes();
  out.t.strays_us = monotonic_us() - phase_start;
  /* A previous check may have filled the disk or mounted over the world: undo that first. Not fatal by itself:
   * if what is left still gets in the way, preparing the check fails with the reason. */
  if (baseline_restore(&err) != 0) {
    logmsg("%s", err);
    free(err);
    err = NULL;
  }
  out.t.baseline_us = monotonic_us() - phase_start - out.t.strays_us;
  if (world_prepare_check(c, &err) != 0 || cgroup_create(CHECK_CGROUP, c->mem_bytes, c->pids) != 0) {
    send_setup_error(port, c, err ? err : "creating the check's cgroup");
    free(err);
    return;
  }
  out.t.prepare_us = monotonic_us() - phase_start;
  out.t.world_us = out.t.prepare_us - out.t.strays_us - out.t.baseline_us;
  phase_start = monotonic_us();
  /* A race on cue: the accomplice hears on its fd 4 when the window opens (race.h). */
  int cue[2] = {-1, -1};
  if (c->race && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cue) != 0) die("socketpair: %m");
  int accomplices_ok = start_accomplices(c, cue[1], &err) == 0;
  if (cue[1] >= 0) close(cue[1]);
  if (!accomplices_ok) {
    if (cue[0] >= 0) close(cue[0]);
    cgroup_kill(ACCOMPLICE_CGROUP);
    kill_stray_processes();
    send_setup_error(port, c, err);
    free(err);
    cgroup_remove(ACCOMPLICE_CGROUP);
    return;
  }
  out.t.accomplices_us = monotonic_us() - phase_start;
  drain_signalfd(sigchld_fd);

  int slave;
  /* The agent keeps its own slave fd open while the check runs, so the master
   * never reports a hang-up before the program has opened its side; it closes it
   * once the program's processes are gone and then drains what is left. */
  int master = open_pty(120, 40, &slave);
  long long started = monotonic_ms();
  long long deadline = started + c->wall_ms;
  struct output_state output = {.program_started_us = monotonic_us()};
  /* Traced for the race (on cue) or for the replay; with neither, not traced at all. The seccomp filter stops the
   * program only at the calls a hook listed (tracer.h). */
  long calls[SECCOMP_TRACE_MAX_CALLS];
  size_t ncalls = 0;
  if (c->trace) ncalls += recorder_calls(calls + ncalls, SECCOMP_TRACE_MAX_CALLS - ncalls);
  if (c->race) ncalls += race_calls(calls + ncalls, SECCOMP_TRACE_MAX_CALLS - ncalls);
  static struct seccomp_trace filter;
  int traced = ncalls > 0 && seccomp_trace_build(&filter, calls, ncalls) == 0;
  pid_t main_pid = start_program(c, slave, traced ? &filter : NULL);
  struct check_hooks hooks_ctx = {
      .race = c->race ? race_new(JAIL_DIR, cue[0]) : NULL,
      .rec = c->trace ? recorder_new(port, c->index, c->probe_name, JAIL_DIR, SECRET_PATH) : NULL,
  };
  struct race *race = hooks_ctx.race;
  struct tracer_hooks hooks = {.on_syscall = on_check_syscall, .on_start = on_check_start};
  struct tracer *tracer = traced ? tracer_new(main_pid, calls, ncalls, &hooks, &hooks_ctx) : NULL;
  if (hooks_ctx.rec) recorder_set_tracer(hooks_ctx.rec, tracer);

  long long stall_start = -1;
  /* When a limit's kill was issued: the wait for the group to go is measured from then, not from the deadline
   * (a memory kill a second in must not wait out the rest of the wall limit). */
  long long killed_at = -1;
  long long groups_checked = 0;
  for (;;) {
    int handled;
    int stops = reap(main_pid, tracer, &out, &handled);
    long long now = monotonic_ms();
    /* A traced program wakes this loop at every stop: its cgroup files are read every 10 ms then, not every stop
     * (a process that stops is alive anyway). */
    if (!stops || now - groups_checked >= 10) {
      groups_checked = now;
      int running = cgroup_populated(CHECK_CGROUP);
      if (!running && out.main_done) break;
      if (out.limit == LIMIT_NONE && cgroup_memory_exhausted(CHECK_CGROUP, c->mem_bytes, &stall_start)) {
        out.limit = LIMIT_MEMORY;
        cgroup_kill(CHECK_CGROUP);
      }
    }
    if (now >= deadline && out.limit == LIMIT_NONE) {
      out.limit = LIMIT_TIME;
      cgroup_kill(CHECK_CGROUP);
    }
    if (out.limit != LIMIT_NONE && killed_at < 0) {
      killed_at = now;
      out.t.kill_us = monotonic_us() - output.program_started_us;
    }
    /* After a kill, give the kernel a moment to tear the group down, then stop waiting. */
    if (killed_at >= 0 && now >= killed_at + KILL_GRACE_MS) {
      snprintf(out.detail, sizeof out.detail, "processes outlived the kill");
      break;
    }
    int timeout = out.limit == LIMIT_NONE ? (int)(deadline - now) : 20;
    if (timeout > 50) timeout = 50;
    if (timeout < 0 || handled == REAP_BATCH) timeout = 0; /* more may be waiting: SIGCHLD does not repeat */
    struct pollfd p[2] = {{.fd = master, .events = POLLIN}, {.fd = sigchld_fd, .events = POLLIN}};
    int n = poll(p, 2, timeout);
    if (n < 0 && errno != EINTR) die("poll: %m");
    if (p[1].revents) drain_signalfd(sigchld_fd);
    if (p[0].revents & POLLIN) {
      if (out.limit == LIMIT_OUTPUT) discard_output(master);
      else pump_output(port, master, c, &output, &out);
    }
  }
  long long wall = monotonic_ms() - started;
  phase_start = monotonic_us();
  close(slave);
  if (out.limit == LIMIT_OUTPUT) discard_output(master);
  else pump_output(port, master, c, &output, &out);
  close(master);

  /* The reason a killed program died is usually a limit it ran into before. */
  if (cgroup_stat(CHECK_CGROUP, "memory.events", "oom_kill") > 0) out.limit = LIMIT_MEMORY;
  else if (out.limit != LIMIT_MEMORY && out.limit != LIMIT_OUTPUT && cgroup_stat(CHECK_CGROUP, "pids.events", "max") > 0) out.limit = LIMIT_PROCESSES;

  cgroup_kill(CHECK_CGROUP);
  cgroup_kill(ACCOMPLICE_CGROUP);
  kill_stray_processes();
  /* The replay goes before CHECK_DONE: the host has the whole check when it is told the check is done. */
  if (hooks_ctx.rec) recorder_finish(hooks_ctx.rec);
  out.t.drain_us = monotonic_us() - phase_start;
  send_done(port, c, &out, wall, race ? race_note(race) : NULL, tracer ? tracer_stops(tracer) : 0);
  tracer_free(tracer);
  recorder_free(hooks_ctx.rec);
  race_free(race);
  if (cue[0] >= 0) close(cue[0]);
  cgroup_remove(CHECK_CGROUP);
  cgroup_remove(ACCOMPLICE_CGROUP);
}

/* How long stray processes get to die before the agent stops waiting for them (one stuck in the kernel). */
#define STRAYS_GRACE_MS 1000

void kill_stray_processes(void) {
  /* As PID 1, kill(-1) reaches every process but ourselves (kernel threads ignore it). Every user process
   * descends from us, so once we have no children left, none is left at all: no /proc scan needed. */
  long long deadline = monotonic_ms() + STRAYS_GRACE_MS;
  for (;;) {
    kill(-1, SIGKILL);
    int status, reaped = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) reaped = 1;
    if (pid < 0 && errno == ECHILD) return;
    if (monotonic_ms() >= deadline) {
      logmsg("some processes outlived SIGKILL for %d ms", STRAYS_GRACE_MS);
      return;
    }
    /* Still dying (or orphans on their way to us): a moment, then again (a fork racing the kill is caught too). */
    if (!reaped) usleep(500);
  }
}
