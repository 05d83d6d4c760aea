#define _GNU_SOURCE
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "accomplices.h"
#include "baseline.h"
#include "cgroup.h"
#include "check_filter.h"
#include "check_ns.h"
#include "child.h"
#include "probe_watch.h"
#include "pty.h"
#include "race.h"
#include "recorder.h"
#include "tracer.h"
#include "util.h"
#include "world_guard.h"

#define CHECK_CGROUP "check"
#define READ_CHUNK 65536
/* How long the kernel gets to tear a killed check's cgroup down before the agent stops waiting for it. */
#define KILL_GRACE_MS 2000
/* At most this many wait results per pass of the check loop: a traced fork bomb stops without end, and an
 * unbounded reap would never get back to the deadline and the limits. */
#define REAP_BATCH 256

/* A check's phases as the agent times them (microseconds; -1: did not happen), sent in CHECK_DONE. */
struct phases {
  long long prepare_us, accomplices_us, probe_started_us, kill_us, drain_us;
  long long strays_us, baseline_us, world_us; /* the parts of prepare_us */
  long long namespaces_us, program_exec_us, probe_released_us;
};

/* One check in flight: what the loop, the tracer's hooks and the probe's start share. */
struct check_run {
  const struct check *c;
  int port;
  int master, slave;
  struct termios termios; /* the pty's settings as the agent made them, put back when the probe starts */
  dev_t slave_rdev;
  size_t sent; /* output bytes sent to the host */
  long long program_started_us;
  pid_t main_pid;
  /* The last pid handed out when the check began: every process since is this check's (world_guard_strangers). */
  pid_t last_pid_before;
  int main_status, main_done;
  int limit;
  char detail[256];
  struct phases t;
  struct tracer *tracer;
  struct check_ns ns;
  struct world_guard guard;
  struct accomplices accomplices;
  struct probe_watch probe;
  struct race *race;
  struct recorder *rec;
};

/* Reaps what has ended, and hands the stops of traced processes to the tracer (which resumes or holds them).
 * Returns the stops handled; *handled counts every wait result (REAP_BATCH: there may be more waiting). */
static int reap(struct check_run *r, int *handled) {
  int status, stops = 0;
  pid_t pid;
  *handled = 0;
  while (*handled < REAP_BATCH && (pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
    ++*handled;
    if (tracer_handle(r->tracer, pid, status)) {
      stops++;
      continue;
    }
    if (pid == r->main_pid) {
      r->main_status = status;
      r->main_done = 1;
    }
    if (pid == r->probe.pid && r->probe.phase == PROBE_RUNNING) {
      r->probe.status = status;
      r->probe.phase = PROBE_ENDED;
    }
    accomplices_reaped(&r->accomplices, pid, status);
  }
  return stops;
}

static void on_check_syscall(void *ctx, const struct syscall_stop *s) {
  struct check_run *r = ctx;
  if (r->rec) recorder_on_syscall(r->rec, s);
  if (!r->race) return;
  int swapped = race_swapped(r->race);
  race_on_syscall(r->race, s);
  /* The swap happens while the call waits at its entry: the replay shows it just before that call. */
  if (!swapped && race_swapped(r->race) && r->rec)
    recorder_note(r->rec, s->pid, PROC_ACCOMPLICE, "swap", "the accomplice swapped the symlink on the jail's path while this process waited at the entry of its next call");
}

static void on_check_start(void *ctx, pid_t pid) {
  struct check_run *r = ctx;
  r->t.program_exec_us = monotonic_us() - r->program_started_us;
  if (r->rec) recorder_on_start(r->rec, pid);
}

/* An exec: the genuine probe's first one keeps it stopped, and the rest of the check is held (probe_watch.h). */
static int on_check_exec(void *ctx, pid_t pid) {
  struct check_run *r = ctx;
  if (!probe_watch_exec(&r->probe, pid)) return TRACER_RESUME;
  r->t.probe_started_us = monotonic_us() - r->program_started_us;
  if (r->rec) recorder_genuine_probe(r->rec, pid);
  tracer_hold_all_but(r->tracer, pid);
  return TRACER_KEEP_STOPPED;
}

static pid_t start_program(const struct check *c, int slave, int mnt_ns_fd, const struct check_filter *filter) {
  char *probe_path = xasprintf("/bin/%s", c->probe_name);
  char *argv[] = {PROGRAM_PATH, JAIL_DIR, probe_path, c->nonce, NULL};
  /* Set-up failures (exit 126) are printed on the pty, where the learner reads them. */
  struct child_spec spec = {
      .path = PROGRAM_PATH, .argv = argv, .env = child_env, .cgroup = CHECK_CGROUP, .cwd = PROGRAM_CWD,
      .stdin_fd = -1, .stdout_fd = slave, .stderr_fd = slave, .ctty_fd = slave, .fd3 = -1, .fd4 = -1, .error_fd = 2, .traced = 1,
      .filter = filter, .groups = c->groups, .ngroups = c->ngroups, .mnt_ns_fd = mnt_ns_fd,
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

/* Forwards what the pty has to the host, up to the check's output limit. A read that finds nothing has first
 * flushed what writers had pushed towards it (n_tty_read), so after EAGAIN every byte written before is sent. */
static void pump_output(struct check_run *r) {
  static char buf[READ_CHUNK];
  for (;;) {
    ssize_t n = read(r->master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* EAGAIN: nothing more now; EIO: every writer has closed the slave */
    size_t room = r->c->output_bytes > r->sent ? r->c->output_bytes - r->sent : 0;
    size_t take = (size_t)n < room ? (size_t)n : room;
    if (take) send_child_output(r->port, MSG_OUTPUT, 1, r->c->index, buf, take);
    r->sent += take;
    if ((size_t)n > take && r->limit == LIMIT_NONE) {
      r->limit = LIMIT_OUTPUT;
      cgroup_kill(CHECK_CGROUP);
    }
  }
}

/* NULL when the probe's stdout is the check's terminal; otherwise what it is instead. */
static char *stdout_elsewhere(const struct check_run *r) {
  char link[64], what[128] = "closed";
  snprintf(link, sizeof link, "/proc/%d/fd/1", r->probe.pid);
  struct stat st;
  if (stat(link, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == r->slave_rdev) return NULL;
  ssize_t n = readlink(link, what, sizeof what - 1);
  if (n > 0) what[n] = 0;
  return xasprintf("your program gave the probe another stdout than the check's terminal (%s), so what it says could be filtered", what);
}

/*
 * Everything but the probe is held: the output so far is the program's, the world is looked at, and if it is as
 * the agent made it the probe runs, with its accomplices. Otherwise the check cannot be judged.
 */
static void start_probe(struct check_run *r) {
  pump_output(r);
  r->probe.output_at = r->sent;
  /* The program may have left the terminal discarding, transforming or stopping output: the probe gets the agent's. */
  int tty = N_TTY;
  ioctl(r->slave, TIOCSETD, &tty);
  tcsetattr(r->slave, TCSANOW, &r->termios);
  tcflow(r->slave, TCOON);
  char *why = stdout_elsewhere(r);
  if (!why) why = world_guard_verify(&r->guard, r->c->secret);
  if (!why && cgroup_stat(ACCOMPLICES_CGROUP, "cgroup.events", "frozen") > 0) why = xasprintf("your program froze the probe's accomplices");
  if (!why) why = accomplices_lost(&r->accomplices, r->c);
  if (!why) why = world_guard_strangers(r->tracer, r->accomplices.pids, r->accomplices.n, r->last_pid_before);
  if (why) {
    probe_watch_void(&r->probe, why);
    return;
  }
  /* A proof left by the program itself proves nothing: from here on only the probe's side can write one. */
  unlink(PROOF_PATH);
  char *err = NULL;
  if (accomplices_start(&r->accomplices, r->c, 1, r->ns.mnt_fd, -1, &err) != 0) {
    probe_watch_void(&r->probe, err);
    return;
  }
  r->probe.phase = PROBE_RUNNING;
  r->t.probe_released_us = monotonic_us() - r->program_started_us - r->t.probe_started_us;
  tracer_release(r->tracer, r->probe.pid);
}

static void send_done(const struct check_run *r, long long wall_ms, const char *race_note) {
  struct wire_out o = {0};
  wire_begin(&o, MSG_CHECK_DONE);
  wire_put_u32(&o, T_INDEX, r->c->index);
  wire_put_exit(&o, r->main_status, r->main_done);
  uint8_t limit = (uint8_t)r->limit;
  wire_put(&o, T_LIMIT, &limit, 1);
  wire_put_u32(&o, T_WALL_MS, (uint32_t)wall_ms);
  size_t proof_len = 0;
  char *proof = r->probe.phase == PROBE_RUNNING || r->probe.phase == PROBE_ENDED ? world_read_proof(&proof_len) : NULL;
  if (proof) wire_put(&o, T_PROOF, proof, (uint32_t)proof_len);
  free(proof);
  if (r->detail[0]) wire_put_str(&o, T_DETAIL, r->detail);
  if (race_note) wire_put_str(&o, T_RACE_NOTE, race_note);
  unsigned long stops = r->tracer ? tracer_stops(r->tracer) : 0;
  if (stops) wire_put_u32(&o, T_TRACE_STOPS, stops > UINT32_MAX ? UINT32_MAX : (uint32_t)stops);
  if (r->probe.phase == PROBE_ENDED) {
    int status = r->probe.status;
    int32_t code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    uint32_t sig = WIFSIGNALED(status) ? (uint32_t)WTERMSIG(status) : 0;
    uint8_t ended[8];
    memcpy(ended, &code, 4);
    memcpy(ended + 4, &sig, 4);
    wire_put(&o, T_PROBE_EXIT, ended, sizeof ended);
  }
  if (r->probe.phase != PROBE_NOT_STARTED) wire_put_u32(&o, T_PROBE_OUTPUT_AT, (uint32_t)r->probe.output_at);
  if (r->probe.impostor[0]) wire_put_str(&o, T_IMPOSTOR, r->probe.impostor);
  if (r->probe.void_reason) wire_put_str(&o, T_VOID, r->probe.void_reason);
  if (r->tracer) wire_put_u32(&o, T_HELD, (uint32_t)tracer_held(r->tracer));
  const struct { uint8_t tag; long long us; } phases[] = {
      {T_PREPARE_US, r->t.prepare_us}, {T_ACCOMPLICES_US, r->t.accomplices_us}, {T_PROBE_STARTED_US, r->t.probe_started_us},
      {T_KILL_US, r->t.kill_us}, {T_DRAIN_US, r->t.drain_us},
      {T_STRAYS_US, r->t.strays_us}, {T_BASELINE_US, r->t.baseline_us}, {T_WORLD_US, r->t.world_us},
      {T_NAMESPACES_US, r->t.namespaces_us}, {T_PROGRAM_EXEC_US, r->t.program_exec_us}, {T_PROBE_RELEASED_US, r->t.probe_released_us},
  };
  for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++)
    if (phases[i].us >= 0) wire_put_u32(&o, phases[i].tag, phases[i].us > UINT32_MAX ? UINT32_MAX : (uint32_t)phases[i].us);
  if (wire_send(r->port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}

static void send_setup_error(struct check_run *r, const char *err) {
  snprintf(r->detail, sizeof r->detail, "setup failed: %s", err);
  r->main_done = 0;
  send_done(r, 0, NULL);
}

/* The calls the check's processes stop at: those the replay records and the race looks at (none without either). */
static size_t traced_calls(const struct check *c, long *calls) {
  size_t n = 0;
  if (c->trace) n += recorder_calls(calls + n, CHECK_FILTER_MAX_CALLS - n);
  if (c->race) n += race_calls(calls + n, CHECK_FILTER_MAX_CALLS - n);
  return n;
}

/* Kills what the check left and removes its cgroups; back in the agent's own namespaces. */
static void clean_up(struct check_run *r) {
  cgroup_kill(CHECK_CGROUP);
  cgroup_kill(ACCOMPLICES_CGROUP);
  kill_stray_processes();
  check_ns_leave(&r->ns);
  cgroup_remove(CHECK_CGROUP);
  cgroup_remove(ACCOMPLICES_CGROUP);
}

/* The check's world, namespaces, accomplices and program, ready to run: 0, or -1 with *err. */
static int prepare(struct check_run *r, const struct check_filter *filter, int cue_fd, char **err) {
  if (r->c->probe_size == 0) {
    *err = xasprintf("the host did not say which binary is the genuine probe");
    return -1;
  }
  long long phase_start = monotonic_us();
  kill_stray_processes();
  r->last_pid_before = world_guard_last_pid();
  r->t.strays_us = monotonic_us() - phase_start;
  /* A previous check may have filled the disk or mounted over the world: undo that first. Not fatal by itself:
   * if what is left still gets in the way, preparing the check fails with both reasons. */
  char *restore_err = NULL;
  if (baseline_restore(&restore_err) != 0) logmsg("%s", restore_err);
  r->t.baseline_us = monotonic_us() - phase_start - r->t.strays_us;
  if (world_prepare_check(r->c, err) != 0) {
    if (restore_err) {
      char *both = xasprintf("%s (after %s)", *err, restore_err);
      free(*err);
      *err = both;
    }
    free(restore_err);
    return -1;
  }
  free(restore_err);
  if (cgroup_create(CHECK_CGROUP, r->c->mem_bytes, r->c->pids) != 0) {
    *err = xasprintf("creating the check's cgroup: %s", strerror(errno));
    return -1;
  }
  r->t.prepare_us = monotonic_us() - phase_start;
  r->t.world_us = r->t.prepare_us - r->t.strays_us - r->t.baseline_us;
  phase_start = monotonic_us();
  /* The accomplices that prepare the world run in the agent's namespaces, before the check's exist. */
  if (accomplices_start(&r->accomplices, r->c, 0, 0, cue_fd, err) != 0) return -1;
  r->t.accomplices_us = monotonic_us() - phase_start;
  phase_start = monotonic_us();
  if (check_ns_enter(&r->ns, r->tracer, filter, err) != 0) return -1;
  int rc = world_guard_record(&r->guard, r->ns.init, err);
  r->t.namespaces_us = monotonic_us() - phase_start;
  return rc;
}

/* The check's loop: output, stops, limits, the probe's start, until the probe or the program is done. */
static void run(struct check_run *r, int sigchld_fd) {
  long long deadline = monotonic_ms() + r->c->wall_ms;
  long long stall_start = -1;
  /* When a limit's kill was issued: the wait for the group to go is measured from then, not from the deadline
   * (a memory kill a second in must not wait out the rest of the wall limit). */
  long long killed_at = -1;
  long long groups_checked = 0;
  for (;;) {
    int handled;
    int stops = reap(r, &handled);
    long long now = monotonic_ms();
    if (r->probe.phase == PROBE_HOLDING && !r->probe.void_reason) {
      if (tracer_not_yet_held(r->tracer) == 0) start_probe(r);
      else if (now >= r->probe.hold_deadline_ms)
        probe_watch_void(&r->probe, xasprintf("the agent could not stop your program's other processes when the probe started"));
    }
    /* The probe's own end ends the check: what the rest of the program would do after it changes no verdict. */
    if (r->probe.phase == PROBE_ENDED || r->probe.void_reason) break;
    /* A traced program wakes this loop at every stop: its cgroup files are read every 10 ms then, not every stop
     * (a process that stops is alive anyway). */
    if (!stops || now - groups_checked >= 10) {
      groups_checked = now;
      int running = cgroup_populated(CHECK_CGROUP);
      if (!running && r->main_done) break;
      if (r->limit == LIMIT_NONE && cgroup_memory_exhausted(CHECK_CGROUP, r->c->mem_bytes, &stall_start)) {
        r->limit = LIMIT_MEMORY;
        cgroup_kill(CHECK_CGROUP);
      }
    }
    if (now >= deadline && r->limit == LIMIT_NONE) {
      r->limit = LIMIT_TIME;
      cgroup_kill(CHECK_CGROUP);
    }
    if (r->limit != LIMIT_NONE && killed_at < 0) {
      killed_at = now;
      r->t.kill_us = monotonic_us() - r->program_started_us;
    }
    /* After a kill, give the kernel a moment to tear the group down, then stop waiting. */
    if (killed_at >= 0 && now >= killed_at + KILL_GRACE_MS) {
      snprintf(r->detail, sizeof r->detail, "processes outlived the kill");
      break;
    }
    int timeout = r->limit == LIMIT_NONE ? (int)(deadline - now) : 20;
    if (timeout > 50) timeout = 50;
    if (r->probe.phase == PROBE_HOLDING && timeout > 5) timeout = 5;
    if (timeout < 0 || handled == REAP_BATCH) timeout = 0; /* more may be waiting: SIGCHLD does not repeat */
    struct pollfd p[2] = {{.fd = r->master, .events = POLLIN}, {.fd = sigchld_fd, .events = POLLIN}};
    int n = poll(p, 2, timeout);
    if (n < 0 && errno != EINTR) die("poll: %m");
    if (p[1].revents) drain_signalfd(sigchld_fd);
    if (p[0].revents & POLLIN) {
      if (r->limit == LIMIT_OUTPUT) discard_output(r->master);
      else pump_output(r);
    }
  }
}

void run_check(int port, int sigchld_fd, const struct check *c) {
  static struct check_run r;
  memset(&r, 0, sizeof r);
  r.c = c;
  r.port = port;
  r.limit = LIMIT_NONE;
  r.t = (struct phases){-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  r.ns.pidfd = r.ns.mnt_fd = -1;
  probe_watch_init(&r.probe, c);
  /* The refusals always; the calls the race and the replay stop at when they are on. */
  long calls[CHECK_FILTER_MAX_CALLS];
  size_t ncalls = traced_calls(c, calls);
  static struct check_filter filter;
  if (check_filter_build(&filter, calls, ncalls) != 0) die("building the check's seccomp filter: %m");
  struct tracer_hooks hooks = {.on_syscall = ncalls ? on_check_syscall : NULL, .on_start = on_check_start, .on_exec = on_check_exec};
  r.tracer = tracer_new(calls, ncalls, &hooks, &r);
  /* A race on cue: the accomplice hears on its fd 4 when the window opens (race.h). */
  int cue[2] = {-1, -1};
  if (c->race && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cue) != 0) die("socketpair: %m");
  char *err = NULL;
  int ready = prepare(&r, &filter, cue[1], &err) == 0;
  if (cue[1] >= 0) close(cue[1]);
  if (!ready) {
    if (cue[0] >= 0) close(cue[0]);
    clean_up(&r);
    send_setup_error(&r, err ? err : "preparing the check");
    free(err);
    world_guard_free(&r.guard);
    tracer_free(r.tracer);
    return;
  }
  drain_signalfd(sigchld_fd);

  /* The agent keeps its own slave fd open while the check runs, so the master
   * never reports a hang-up before the program has opened its side; it closes it
   * once the program's processes are gone and then drains what is left. */
  r.master = open_pty(120, 40, &r.slave);
  struct stat slave_st;
  if (fstat(r.slave, &slave_st) != 0 || tcgetattr(r.slave, &r.termios) != 0) die("looking at the check's pty: %m");
  r.slave_rdev = slave_st.st_rdev;
  long long started = monotonic_ms();
  r.program_started_us = monotonic_us();
  r.race = c->race ? race_new(JAIL_DIR, cue[0]) : NULL;
  r.rec = c->trace ? recorder_new(port, c->index, c->probe_name, JAIL_DIR, SECRET_PATH) : NULL;
  if (r.rec) recorder_set_tracer(r.rec, r.tracer);
  r.main_pid = start_program(c, r.slave, r.ns.mnt_fd, &filter);
  tracer_expect(r.tracer, r.main_pid, ROLE_PROGRAM);

  run(&r, sigchld_fd);

  long long wall = monotonic_ms() - started;
  long long phase_start = monotonic_us();
  /* The reason a killed program died is usually a limit it ran into before. (The proof is read in send_done: the
   * kill runs nothing, so it is still as the probe left it.) */
  if (cgroup_stat(CHECK_CGROUP, "memory.events", "oom_kill") > 0) r.limit = LIMIT_MEMORY;
  else if (r.limit != LIMIT_MEMORY && r.limit != LIMIT_OUTPUT && cgroup_stat(CHECK_CGROUP, "pids.events", "max") > 0) r.limit = LIMIT_PROCESSES;
  cgroup_kill(CHECK_CGROUP);
  cgroup_kill(ACCOMPLICES_CGROUP);
  kill_stray_processes();
  close(r.slave);
  if (r.limit == LIMIT_OUTPUT) discard_output(r.master);
  else pump_output(&r);
  close(r.master);
  /* The replay goes before CHECK_DONE: the host has the whole check when it is told the check is done. */
  if (r.rec) recorder_finish(r.rec);
  r.t.drain_us = monotonic_us() - phase_start;
  send_done(&r, wall, r.race ? race_note(r.race) : NULL);
  tracer_free(r.tracer);
  recorder_free(r.rec);
  race_free(r.race);
  probe_watch_free(&r.probe);
  world_guard_free(&r.guard);
  if (cue[0] >= 0) close(cue[0]);
  check_ns_leave(&r.ns);
  cgroup_remove(CHECK_CGROUP);
  cgroup_remove(ACCOMPLICES_CGROUP);
}

/* How long stray processes get to die before the agent stops waiting for them (one stuck in the kernel). */
#define STRAYS_GRACE_MS 1000

void kill_stray_processes(void) {
  /* As PID 1, kill(-1) reaches every process but ourselves (kernel threads ignore it), in every PID namespace.
   * Every user process descends from us, so once we have no children left, none is left at all: no /proc scan. */
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
