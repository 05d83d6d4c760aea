#define _GNU_SOURCE
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trace_calls.h"
#include "trace_format.h"
#include "trace_scan.h"
#include "trace_where.h"
#include "util.h"
#include "wire.h"

#define ARG_CAP 512
#define MAX_PASSED 8
#define MAX_NOTES 4
#define FLUSH_AT (64u << 10)

/* The kernel's numbers a step is read against (musl's and glibc's headers do not all have them). */
#define SYS_PRCTL_NR 157            /* x86_64 prctl: the other calls with P_FILTER are seccomp(2) */
#define PR_SET_SECCOMP_OP 22
#define SECCOMP_MODE_FILTER_ARG 2   /* prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ...) */
#define SECCOMP_SET_MODE_FILTER_OP 1 /* seccomp(SECCOMP_SET_MODE_FILTER, ...) */
#define PTRACE_ATTACH_REQ 16
#define PTRACE_SEIZE_REQ 0x4206
#define O_TMPFILE_FLAG 020000000    /* open(O_TMPFILE) takes a mode, as O_CREAT does */

struct proc {
  pid_t pid;
  int label;
  /* The call it is in, as seen at its entry. */
  const struct call_desc *call;
  int call_label;
  struct wire_out fields; /* T_STEP_ARG, T_W_PATH, T_W_PASSED of that call, ready to copy into its frame */
};

struct recorder {
  int port;
  uint32_t index;
  char probe_name[128];
  char jail_dir[64], secret_path[64];
  struct trace_world world;
  struct tracer *tracer;
  struct proc *procs;
  size_t nprocs, cap;
  /* Whole frames waiting to be sent. */
  uint8_t *batch;
  size_t batch_len, batch_cap;
  unsigned steps, landmarks, dropped;
  /* Steps recorded before the first one was left out (all of them while none was). */
  unsigned whole;
  int dropping;
  size_t bytes;
  int started;
  /* The process the agent saw exec the genuine probe (probe_watch.h), 0 until then. */
  pid_t genuine;
  struct snapshot initial;
  struct jail_scan scan;
  char notes[MAX_NOTES][240];
  int nnotes, every_call_noted, budget_noted;
};

size_t recorder_calls(long *out, size_t max) {
  return trace_call_numbers(out, max);
}

struct recorder *recorder_new(int port, uint32_t check_index, const char *probe_name, const char *jail_dir, const char *secret_path) {
  struct recorder *r = xmalloc(sizeof *r);
  memset(r, 0, sizeof *r);
  r->port = port;
  r->index = check_index;
  snprintf(r->probe_name, sizeof r->probe_name, "%s", probe_name);
  snprintf(r->jail_dir, sizeof r->jail_dir, "%s", jail_dir);
  snprintf(r->secret_path, sizeof r->secret_path, "%s", secret_path);
  return r;
}

void recorder_set_tracer(struct recorder *r, struct tracer *t) {
  r->tracer = t;
}

void recorder_free(struct recorder *r) {
  if (!r) return;
  for (size_t i = 0; i < r->nprocs; i++) free(r->procs[i].fields.buf);
  free(r->procs);
  free(r->batch);
  free(r);
}

static void note(struct recorder *r, const char *text) {
  if (r->nnotes < MAX_NOTES) snprintf(r->notes[r->nnotes++], sizeof r->notes[0], "%s", text);
}

static struct proc *proc_find(struct recorder *r, pid_t pid) {
  for (size_t i = 0; i < r->nprocs; i++)
    if (r->procs[i].pid == pid) return &r->procs[i];
  return NULL;
}

static struct proc *proc_add(struct recorder *r, pid_t pid, int label) {
  if (r->nprocs == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->procs = xrealloc(r->procs, r->cap * sizeof *r->procs);
  }
  struct proc *p = &r->procs[r->nprocs++];
  memset(p, 0, sizeof *p);
  p->pid = pid;
  p->label = label;
  return p;
}

/* "Tgid:" or "PPid:" of pid from its status file; 0 if unknown. */
static pid_t status_pid(pid_t pid, const char *key) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  size_t len;
  char *s = read_file(path, 8192, &len);
  if (!s) return 0;
  const char *at = strstr(s, key);
  pid_t v = at ? (pid_t)atoi(at + strlen(key)) : 0;
  free(s);
  return v;
}

/* What a process is: set at an exec, inherited from the process (or thread group) it came from. */
static int label_of(struct recorder *r, pid_t pid, int depth) {
  struct proc *p = proc_find(r, pid);
  if (p) return p->label;
  int label = PROC_OTHER;
  pid_t tgid = status_pid(pid, "\nTgid:");
  pid_t from = tgid && tgid != pid ? tgid : status_pid(pid, "\nPPid:");
  if (from > 1 && depth < 8) label = label_of(r, from, depth + 1);
  proc_add(r, pid, label);
  return label;
}

static void put_where(struct wire_out *o, uint8_t tag, const struct where *w) {
  uint8_t buf[5 + WHERE_PATH_CAP];
  size_t len = strnlen(w->path, WHERE_PATH_CAP - 1);
  buf[0] = w->flags;
  uint32_t fd = (uint32_t)w->fd;
  memcpy(buf + 1, &fd, 4); /* the agent is x86_64: little endian, as the wire */
  memcpy(buf + 5, w->path, len);
  wire_put(o, tag, buf, (uint32_t)(5 + len));
}

static void put_snapshot(struct wire_out *o, const struct snapshot *s) {
  put_where(o, T_W_ROOT, &s->root);
  put_where(o, T_W_CWD, &s->cwd);
  if (s->have_dirfds) wire_put_u32(o, T_STEP_DIRFDS, (uint32_t)s->ndirfds);
  for (int i = 0; i < s->ndirfds; i++) put_where(o, T_W_DIRFD, &s->dirfds[i]);
  if (s->have_creds) wire_put_str(o, T_STEP_CREDS, s->creds);
  if (s->have_ns) wire_put_str(o, T_STEP_NS, s->ns);
}

static void flush(struct recorder *r) {
  if (!r->batch_len) return;
  /* Signed here, not when queued: a frame's place in the stream (and so its seq) is where it is written. */
  if (wire_send_batch(r->port, r->batch, r->batch_len) != 0) die("writing to the host: %m");
  r->batch_len = 0;
}

/* Appends a finished frame to the batch (the frame's length prefix is set here). */
static void queue_frame(struct recorder *r, struct wire_out *o) {
  uint32_t len = (uint32_t)(o->len - 4);
  memcpy(o->buf, &len, 4);
  if (r->batch_len + o->len > r->batch_cap) {
    r->batch_cap = (r->batch_len + o->len) * 2;
    r->batch = xrealloc(r->batch, r->batch_cap);
  }
  memcpy(r->batch + r->batch_len, o->buf, o->len);
  r->batch_len += o->len;
  r->bytes += o->len;
  if (r->batch_len >= FLUSH_AT) flush(r);
}

/* Within the caps, or a landmark within theirs: the step is kept. */
static int keep(struct recorder *r, int landmark) {
  if (r->steps < RECORDER_MAX_STEPS && r->bytes < RECORDER_MAX_BYTES) return 1;
  if (!r->dropping) {
    r->dropping = 1;
    r->whole = r->steps;
  }
  if (landmark && r->landmarks < RECORDER_MAX_LANDMARKS) {
    r->landmarks++;
    return 1;
  }
  r->dropped++;
  return 0;
}

/* The descriptors of an SCM_RIGHTS message at msghdr address addr of pid (at most max). */
static int passed_fds(pid_t pid, uint64_t addr, int *fds, int max) {
  struct msghdr m;
  if (tracee_read(pid, addr, &m, sizeof m) != 0 || !m.msg_control || m.msg_controllen < sizeof(struct cmsghdr)) return 0;
  uint8_t buf[512] __attribute__((aligned(8)));
  size_t len = m.msg_controllen < sizeof buf ? m.msg_controllen : sizeof buf;
  if (tracee_read(pid, (uint64_t)(uintptr_t)m.msg_control, buf, len) != 0) return 0;
  struct msghdr local = {.msg_control = buf, .msg_controllen = len};
  int n = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&local); c; c = CMSG_NXTHDR(&local, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0)) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count && n < max; i++) memcpy(&fds[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
  }
  return n;
}

static void put_passed(struct recorder *r, struct wire_out *o, pid_t pid, uint64_t msg) {
  int fds[MAX_PASSED];
  int n = passed_fds(pid, msg, fds, MAX_PASSED);
  if (!n) return;
  char link[64];
  struct where root;
  snprintf(link, sizeof link, "/proc/%d/root", pid);
  if (where_of(&r->world, link, NULL, &root) != 0) return;
  for (int i = 0; i < n; i++) {
    struct where w;
    snprintf(link, sizeof link, "/proc/%d/fd/%d", pid, fds[i]);
    if (where_of(&r->world, link, root.path, &w) != 0) continue;
    w.fd = fds[i];
    put_where(o, T_W_PASSED, &w);
  }
}

void recorder_genuine_probe(struct recorder *r, pid_t pid) {
  r->genuine = pid;
}

void recorder_on_start(void *ctx, pid_t pid) {
  struct recorder *r = ctx;
  /* Now, not earlier: an accomplice may have made /jail a symlink before the program started. */
  trace_world_init(&r->world, r->jail_dir, r->secret_path);
  proc_add(r, pid, PROC_JAILER);
  r->started = snapshot_take(&r->world, pid, SNAP_DIRFDS | SNAP_CREDS | SNAP_NS, &r->initial) == 0;
}

static void begin_step(struct wire_out *o, struct recorder *r, pid_t pid, int label, const char *call) {
  wire_begin(o, MSG_TRACE_STEP);
  wire_put_u32(o, T_INDEX, r->index);
  wire_put_u32(o, T_STEP_PID, (uint32_t)pid);
  uint8_t l = (uint8_t)label;
  wire_put(o, T_STEP_PROC, &l, 1);
  wire_put_str(o, T_STEP_CALL, call);
}

void recorder_note(struct recorder *r, pid_t pid, int proc, const char *call, const char *text) {
  if (!keep(r, 1)) return;
  struct wire_out o = {0};
  begin_step(&o, r, pid, proc, call);
  wire_put_str(&o, T_STEP_NOTE, text);
  r->steps++;
  queue_frame(r, &o);
  free(o.buf);
}

static void start_call(struct recorder *r, struct proc *p, const struct call_desc *d, const struct syscall_stop *s) {
  p->call = d;
  p->call_label = p->label;
  p->fields.len = 0;
  char text[ARG_CAP];
  for (int i = 0; i < d->nargs; i++) {
    /* open()'s mode means nothing without O_CREAT or O_TMPFILE: shown only then, as strace does. */
    if (d->args[i] == K_MODE && i > 0 && d->args[i - 1] == K_OFLAGS && !(s->args[i - 1] & (O_CREAT | O_TMPFILE_FLAG))) continue;
    trace_format_arg(s->pid, d, i, s->args, text, sizeof text);
    wire_put_str(&p->fields, T_STEP_ARG, text);
  }
  if (d->path_arg >= 0) {
    char path[WHERE_PATH_CAP];
    struct where w;
    int dirfd = d->dirfd_arg >= 0 ? (int)s->args[d->dirfd_arg] : -100; /* AT_FDCWD */
    if (tracee_read_string(s->pid, s->args[d->path_arg], path, sizeof path) == 0 && path[0] && resolve_path_arg(&r->world, s->pid, dirfd, path, &w) == 0)
      put_where(&p->fields, T_W_PATH, &w);
  }
  /* Descriptors sent are the sender's: look at them before the call, while they are still its own. */
  if (d->post & P_SCM_SEND) put_passed(r, &p->fields, s->pid, s->args[1]);
}

/* What the returned descriptor refers to (an open); a landmark if it is the secret or outside the jail. */
static int put_opened(struct recorder *r, struct wire_out *o, const struct syscall_stop *s) {
  char link[64];
  struct where root, opened;
  snprintf(link, sizeof link, "/proc/%d/root", s->pid);
  if (where_of(&r->world, link, NULL, &root) != 0) return 0;
  snprintf(link, sizeof link, "/proc/%d/fd/%lld", s->pid, (long long)s->rval);
  if (where_of(&r->world, link, root.path, &opened) != 0) return 0;
  opened.fd = (int32_t)s->rval;
  put_where(o, T_W_OPENED, &opened);
  return (opened.flags & W_SECRET) || !(opened.flags & (W_INSIDE | W_FOREIGN));
}

/* Where the process taken hold of (PTRACE_ATTACH, PTRACE_SEIZE) is rooted: always a landmark. */
static int put_ptrace_target(struct recorder *r, struct wire_out *o, const struct syscall_stop *s) {
  if (s->args[0] != PTRACE_ATTACH_REQ && s->args[0] != PTRACE_SEIZE_REQ) return 0;
  char link[64];
  struct where target;
  snprintf(link, sizeof link, "/proc/%d/root", (int)s->args[1]);
  if (where_of(&r->world, link, NULL, &target) != 0) return 0;
  put_where(o, T_W_TARGET, &target);
  return 1;
}

/* After an exec: what the process is now (the genuine probe, as the agent saw it, or another program) and its exe. */
static void put_exec(struct recorder *r, struct wire_out *o, struct proc *p, const struct syscall_stop *s) {
  char link[64], exe[WHERE_PATH_CAP];
  struct where w;
  snprintf(link, sizeof link, "/proc/%d/exe", s->pid);
  if (where_of(&r->world, link, NULL, &w) == 0) snprintf(exe, sizeof exe, "%s", w.path);
  else exe[0] = 0;
  int became = p->label;
  /* The jail program exec'ing the probe: from here on it is the untrusted program. Anything else it execs, under
   * the probe's name or not, is some other program. */
  if (p->label == PROC_JAILER) became = s->pid == r->genuine ? PROC_PROBE : PROC_OTHER;
  if (became == PROC_PROBE && !r->scan.done) jail_scan(&r->world, s->pid, &r->scan);
  p->label = became;
  uint8_t b = (uint8_t)became;
  wire_put(o, T_STEP_BECAME, &b, 1);
  if (exe[0]) wire_put_str(o, T_STEP_EXE, exe);
}

/* A seccomp filter of the program's own: from now on every call of that process is watched (tracer.h). */
static void watch_own_filter(struct recorder *r, const struct call_desc *d, const struct syscall_stop *s) {
  int installs = d->nr == SYS_PRCTL_NR ? s->args[0] == PR_SET_SECCOMP_OP && s->args[1] == SECCOMP_MODE_FILTER_ARG : s->args[0] == SECCOMP_SET_MODE_FILTER_OP;
  if (!installs) return;
  tracer_watch_every_call(r->tracer, s->pid);
  if (r->every_call_noted) return;
  r->every_call_noted = 1;
  char text[240];
  snprintf(text, sizeof text, "Step %u installed a seccomp filter of the program's own: from there on every call was watched, so a call that filter refused shows too.", r->steps + 1);
  note(r, text);
}

/* The call has returned (or never will): its frame, with what changed. */
static void end_call(struct recorder *r, struct proc *p, const struct syscall_stop *s, int returned) {
  const struct call_desc *d = p->call;
  p->call = NULL;
  struct wire_out o = {0};
  begin_step(&o, r, s->pid, p->call_label, d->name);
  /* The arguments were formatted at the entry: copy those fields as they are. */
  if (p->fields.len) {
    if (o.len + p->fields.len > o.cap) {
      o.cap = o.len + p->fields.len + 1024;
      o.buf = xrealloc(o.buf, o.cap);
    }
    memcpy(o.buf + o.len, p->fields.buf, p->fields.len);
    o.len += p->fields.len;
  }
  int landmark = (d->post & (P_WHERE | P_CWD | P_EXEC | P_CREDS | P_FILTER)) != 0;
  int ok = returned && !s->is_error;
  if (returned) {
    int64_t rval = s->rval;
    wire_put(&o, T_STEP_RESULT, &rval, 8);
    if (s->is_error) {
      char buf[16];
      wire_put_str(&o, T_STEP_ERRNO, trace_errno_name((int)-s->rval, buf, sizeof buf));
    }
  }
  if (ok && (d->post & P_OPENS) && s->rval >= 0) landmark |= put_opened(r, &o, s);
  if (ok && (d->post & P_SCM_RECV)) {
    size_t before = o.len;
    put_passed(r, &o, s->pid, s->args[1]);
    if (o.len != before) landmark = 1;
  }
  if (ok && (d->post & P_PTRACE)) landmark |= put_ptrace_target(r, &o, s);
  if (ok && (d->post & P_CREDS)) {
    char creds[420];
    trace_creds(s->pid, creds, sizeof creds);
    if (creds[0]) wire_put_str(&o, T_STEP_CREDS, creds);
  }
  struct snapshot snap;
  if (ok && (d->post & (P_WHERE | P_CWD | P_EXEC))) {
    int what = d->post & P_EXEC ? SNAP_DIRFDS | SNAP_CREDS | SNAP_NS : d->post & P_WHERE ? SNAP_DIRFDS : 0;
    if (snapshot_take(&r->world, s->pid, what, &snap) == 0) put_snapshot(&o, &snap);
  }
  if (ok && (d->post & P_EXEC)) put_exec(r, &o, p, s);
  if (ok && (d->post & P_FILTER) && r->tracer) watch_own_filter(r, d, s);
  if (r->tracer && tracer_every_call_budget_spent(r->tracer) && !r->budget_noted) {
    r->budget_noted = 1;
    char text[240];
    snprintf(text, sizeof text, "After %d calls under that filter the tracer went back to the listed calls only: a call the filter refused after that is not shown.", TRACER_EVERY_CALL_BUDGET / 2);
    note(r, text);
  }
  if (keep(r, landmark)) {
    r->steps++;
    queue_frame(r, &o);
  }
  free(o.buf);
}

void recorder_on_syscall(void *ctx, const struct syscall_stop *s) {
  struct recorder *r = ctx;
  if (!r->started) return;
  const struct call_desc *d = trace_call(s->nr);
  if (!d) return; /* another hook's call (the race's lookups), or another ABI's */
  /* Known from now on, with the label it inherits from the process (or thread group) it came from. */
  label_of(r, s->pid, 0);
  struct proc *p = proc_find(r, s->pid);
  if (!s->exit) {
    if (p->call) end_call(r, p, s, 0);
    start_call(r, p, d, s);
  } else if (p->call == d) {
    end_call(r, p, s, 1);
  }
}

void recorder_finish(struct recorder *r) {
  /* Calls still under way when the check ended (killed in a blocking call): kept, without a result. */
  for (size_t i = 0; i < r->nprocs; i++) {
    if (!r->procs[i].call) continue;
    struct syscall_stop s = {.pid = r->procs[i].pid};
    end_call(r, &r->procs[i], &s, 0);
  }
  if (r->scan.truncated) note(r, "The jail scan at the probe's start stopped early (too many entries): it may have missed something.");
  struct wire_out o = {0};
  wire_begin(&o, MSG_TRACE_INFO);
  wire_put_u32(&o, T_INDEX, r->index);
  wire_put_str(&o, T_TRACE_JAIL, r->world.jail[0] ? r->world.jail : r->jail_dir);
  wire_put_u32(&o, T_TRACE_STEPS, r->dropping ? r->whole : r->steps);
  wire_put_u32(&o, T_TRACE_DROPPED, r->dropped);
  for (int i = 0; i < r->nnotes; i++) wire_put_str(&o, T_TRACE_NOTE, r->notes[i]);
  if (r->started) put_snapshot(&o, &r->initial);
  if (r->scan.done) {
    wire_put_u32(&o, T_JAIL_SCANNED, r->scan.entries);
    for (int i = 0; i < r->scan.nitems; i++) {
      const struct jail_item *it = &r->scan.items[i];
      uint8_t buf[2 + WHERE_PATH_CAP + 1 + 64];
      size_t pl = strnlen(it->path, WHERE_PATH_CAP - 1), dl = strnlen(it->detail, 63);
      buf[0] = it->kind;
      buf[1] = it->flags;
      memcpy(buf + 2, it->path, pl);
      buf[2 + pl] = 0;
      memcpy(buf + 3 + pl, it->detail, dl);
      wire_put(&o, T_JAIL_ITEM, buf, (uint32_t)(3 + pl + dl));
    }
  }
  /* The info frame is not counted against the caps: it is small and bounded. */
  flush(r);
  if (wire_send(r->port, &o) != 0) die("writing to the host: %m");
  free(o.buf);
}
