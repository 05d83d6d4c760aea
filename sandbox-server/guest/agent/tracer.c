#define _GNU_SOURCE
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

enum tracee_state {
  AWAITING_START, /* a process the agent started, until it stops itself after PTRACE_TRACEME */
  AWAITING_EXEC,  /* the program, options set, until the agent's exec of it */
  AWAITING_BIRTH, /* a child attached at fork, until its initial SIGSTOP */
  RUNNING,
};

struct tracee {
  pid_t pid;
  enum tracee_state state;
  enum tracee_role role;
  /* Held: stopped, and stays stopped (tracer_hold_all_but). `hold` says it should be; `held` that it is. */
  int hold, held;
  /* Stops at every call (its own seccomp filter could hide a refused one), not just at the listed ones. */
  int every;
  /* The entry of the call it is in, handed to the hook again at the exit. */
  int in_call;
  struct syscall_stop entry;
};

/* x86_64 call numbers are below this; a bit per number says whether a hook listed it. */
#define MAX_NR 512

struct tracer {
  struct tracer_hooks hooks;
  void *ctx;
  uint8_t listed[MAX_NR / 8];
  struct tracee *tracees;
  size_t n, cap;
  unsigned long stops;
  unsigned long every_call_stops;
  int budget_spent;
  /* Once set, every process but the probe's own is held at its next stop (tracer_hold_all_but). */
  int holding;
};

static const long OPTIONS = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
                            PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;

static struct tracee *find(struct tracer *t, pid_t pid) {
  for (size_t i = 0; i < t->n; i++)
    if (t->tracees[i].pid == pid) return &t->tracees[i];
  return NULL;
}

static struct tracee *add(struct tracer *t, pid_t pid, enum tracee_state state, enum tracee_role role) {
  struct tracee *e = find(t, pid);
  if (e) return e;
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 16;
    t->tracees = xrealloc(t->tracees, t->cap * sizeof *t->tracees);
  }
  e = &t->tracees[t->n++];
  memset(e, 0, sizeof *e);
  e->pid = pid;
  e->state = state;
  e->role = role;
  e->hold = t->holding && role != ROLE_PROBE;
  return e;
}

static void drop(struct tracer *t, pid_t pid) {
  struct tracee *e = find(t, pid);
  if (e) *e = t->tracees[--t->n];
}

/* Calls of another ABI (nr -1) are always listed: the filter traces every one of them. */
static void resume(struct tracee *e, int sig);

static int is_listed(const struct tracer *t, long nr) {
  return nr < 0 || nr >= MAX_NR || (t->listed[nr / 8] >> (nr % 8)) & 1;
}

struct tracer *tracer_new(const long *calls, size_t ncalls, const struct tracer_hooks *hooks, void *ctx) {
  struct tracer *t = xmalloc(sizeof *t);
  memset(t, 0, sizeof *t);
  t->hooks = *hooks;
  t->ctx = ctx;
  for (size_t i = 0; i < ncalls; i++)
    if (calls[i] >= 0 && calls[i] < MAX_NR) t->listed[calls[i] / 8] |= (uint8_t)(1u << (calls[i] % 8));
  return t;
}

void tracer_expect(struct tracer *t, pid_t pid, enum tracee_role role) {
  add(t, pid, AWAITING_START, role);
}

int tracer_set_options(pid_t pid) {
  return ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)OPTIONS);
}

void tracer_adopt_stopped(struct tracer *t, pid_t pid, enum tracee_role role) {
  struct tracee *e = add(t, pid, RUNNING, role);
  if (tracer_set_options(pid) != 0) logmsg("ptrace(PTRACE_SETOPTIONS, %d): %m", pid);
  resume(e, 0);
}

void tracer_free(struct tracer *t) {
  if (!t) return;
  free(t->tracees);
  free(t);
}

unsigned long tracer_stops(const struct tracer *t) {
  return t->stops;
}

void tracer_watch_every_call(struct tracer *t, pid_t pid) {
  struct tracee *e = find(t, pid);
  if (e && !t->budget_spent) e->every = 1;
}

int tracer_every_call_budget_spent(const struct tracer *t) {
  return t->budget_spent;
}

/*
 * Resumes a stopped tracee: to its next call boundary when a call's exit is awaited or every call is
 * watched, else to its next listed call (a seccomp stop). A tracee that vanished meanwhile is fine.
 */
static void resume(struct tracee *e, int sig) {
  int op = e->in_call || e->every ? PTRACE_SYSCALL : PTRACE_CONT;
  if (ptrace(op, e->pid, 0, (void *)(long)sig) != 0 && errno != ESRCH) logmsg("ptrace(resume, %d): %m", e->pid);
}

static void give_up_every_call(struct tracer *t) {
  t->budget_spent = 1;
  for (size_t i = 0; i < t->n; i++) t->tracees[i].every = 0;
}

static long nr_of(uint32_t arch, uint64_t nr) {
  /* Calls through the 32-bit ABI have other numbers, and x32's carry a high bit: the hooks know x86_64's only. */
  return arch == AUDIT_ARCH_X86_64 && nr < MAX_NR ? (long)nr : -1;
}

static void enter_call(struct tracer *t, struct tracee *e, long nr, const uint64_t *args) {
  e->entry.pid = e->pid;
  e->entry.nr = nr;
  memcpy(e->entry.args, args, sizeof e->entry.args);
  e->entry.exit = 0;
  e->in_call = 1;
  if (t->hooks.on_syscall) t->hooks.on_syscall(t->ctx, &e->entry);
}

static void on_syscall_stop(struct tracer *t, struct tracee *e) {
  struct __ptrace_syscall_info info;
  memset(&info, 0, sizeof info);
  if (ptrace(PTRACE_GET_SYSCALL_INFO, e->pid, (void *)sizeof info, &info) <= 0) return;
  t->stops++;
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    long nr = nr_of(info.arch, info.entry.nr);
    if (is_listed(t, nr)) enter_call(t, e, nr, info.entry.args);
    else if (e->every && ++t->every_call_stops > TRACER_EVERY_CALL_BUDGET) give_up_every_call(t);
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT && e->in_call) {
    struct syscall_stop s = e->entry;
    s.exit = 1;
    s.rval = info.exit.rval;
    s.is_error = info.exit.is_error;
    e->in_call = 0;
    if (t->hooks.on_syscall) t->hooks.on_syscall(t->ctx, &s);
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT && e->every && ++t->every_call_stops > TRACER_EVERY_CALL_BUDGET) {
    give_up_every_call(t);
  }
}

/* A listed call reached the filter: its entry, unless the entry stop of every-call watching already had it. */
static void on_seccomp_stop(struct tracer *t, struct tracee *e) {
  struct __ptrace_syscall_info info;
  memset(&info, 0, sizeof info);
  if (ptrace(PTRACE_GET_SYSCALL_INFO, e->pid, (void *)sizeof info, &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) return;
  t->stops++;
  if (!e->in_call) enter_call(t, e, nr_of(info.arch, info.seccomp.nr), info.seccomp.args);
}

/* Keeps a tracee stopped where it is: it is not resumed from this stop, or any later one. */
static int hold_here(struct tracee *e) {
  e->held = 1;
  return 1;
}

int tracer_handle(struct tracer *t, pid_t pid, int status) {
  struct tracee *e = find(t, pid);
  if (WIFEXITED(status) || WIFSIGNALED(status)) {
    drop(t, pid);
    return 0;
  }
  if (!WIFSTOPPED(status)) return 0;
  int sig = WSTOPSIG(status);
  int event = status >> 16;
  if (!e) {
    /* A child attached at fork can report its initial SIGSTOP before its parent reports the fork: until that
     * says whose it is, it belongs to the program, and while the program is held it is held too. */
    e = add(t, pid, RUNNING, ROLE_PROGRAM);
    if (e->hold) return hold_here(e);
    resume(e, 0);
    return 1;
  }
  if (e->state == AWAITING_START) {
    /* Stopped by itself after PTRACE_TRACEME: set the options before its filter and exec need them (a
     * SECCOMP_RET_TRACE with no tracer asking for seccomp stops would fail the call with ENOSYS). */
    if (sig == SIGSTOP) {
      e->state = e->role == ROLE_PROGRAM ? AWAITING_EXEC : RUNNING;
      if (tracer_set_options(pid) != 0) logmsg("ptrace(PTRACE_SETOPTIONS, %d): %m", pid);
      sig = 0;
    }
    resume(e, sig);
    return 1;
  }
  if (e->hold) return hold_here(e);
  if (e->state == AWAITING_EXEC) {
    /* The agent's own exec of the program is not the program's doing: not handed to the hooks. */
    if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
      e->state = RUNNING;
      if (t->hooks.on_start) t->hooks.on_start(t->ctx, pid);
    }
    resume(e, sig == SIGTRAP ? 0 : sig);
    return 1;
  }
  if (e->state == AWAITING_BIRTH && sig == SIGSTOP) {
    /* The initial stop of a child attached at fork: not a signal anyone sent. */
    e->state = RUNNING;
    resume(e, 0);
    return 1;
  }
  if (sig == (SIGTRAP | 0x80)) {
    on_syscall_stop(t, e);
    resume(e, 0);
    return 1;
  }
  if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
    on_seccomp_stop(t, e);
    resume(e, 0);
    return 1;
  }
  if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
    /* A thread other than the leader that execs takes the leader's pid: the old thread id is gone. */
    unsigned long former = 0;
    if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &former) == 0 && former && (pid_t)former != pid) drop(t, (pid_t)former);
    e = find(t, pid);
    /* The hook may keep it stopped (the probe, while the agent holds the rest and looks at the world). */
    if (t->hooks.on_exec && t->hooks.on_exec(t->ctx, pid) == TRACER_KEEP_STOPPED) return 1;
    e = find(t, pid);
    if (e) resume(e, 0);
    return 1;
  }
  if (sig == SIGTRAP && event != 0) {
    if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
      unsigned long child = 0;
      if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &child) == 0 && child) {
        int every = e->every;
        enum tracee_role role = e->role == ROLE_PROBE ? ROLE_PROBE : ROLE_PROGRAM;
        struct tracee *c = find(t, (pid_t)child);
        if (!c) c = add(t, (pid_t)child, AWAITING_BIRTH, role);
        /* add() may have moved the table: e is not used below. */
        c->every = every && !t->budget_spent;
        if (c->role != role) {
          /* Its initial stop came first and held it as the program's: it is the probe's, let it go. */
          c->role = role;
          c->hold = t->holding && role != ROLE_PROBE;
          if (c->held && !c->hold) {
            c->held = 0;
            resume(c, 0);
          }
        }
      }
      e = find(t, pid);
    }
    /* An exec event ends the call in the old program: its exit stop still follows. */
    resume(e, 0);
    return 1;
  }
  /* A signal for the process: deliver it. (A group-stop is resumed too: this tracer does not model job control.) */
  siginfo_t si;
  resume(e, ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0 ? sig : 0);
  return 1;
}

void tracer_hold_all_but(struct tracer *t, pid_t probe) {
  t->holding = 1;
  for (size_t i = 0; i < t->n; i++) {
    struct tracee *e = &t->tracees[i];
    if (e->pid == probe) {
      e->role = ROLE_PROBE;
      continue;
    }
    e->hold = 1;
    /* A thread-directed SIGSTOP: its signal-delivery stop comes to us, and we never resume it. A process already
     * stopped for us (a stop not yet reaped) is held at that stop, and the SIGSTOP simply waits. */
    if (!e->held && syscall(SYS_tkill, e->pid, SIGSTOP) != 0 && errno != ESRCH) logmsg("tkill(%d, SIGSTOP): %m", e->pid);
  }
}

size_t tracer_not_yet_held(const struct tracer *t) {
  size_t n = 0;
  for (size_t i = 0; i < t->n; i++) n += t->tracees[i].hold && !t->tracees[i].held;
  return n;
}

size_t tracer_held(const struct tracer *t) {
  size_t n = 0;
  for (size_t i = 0; i < t->n; i++) n += t->tracees[i].held;
  return n;
}

void tracer_release(struct tracer *t, pid_t pid) {
  struct tracee *e = find(t, pid);
  if (e) resume(e, 0);
}

int tracer_role(const struct tracer *t, pid_t pid) {
  const struct tracee *e = find((struct tracer *)t, pid);
  return e ? (int)e->role : -1;
}

int tracee_read(pid_t pid, uint64_t addr, void *out, size_t n) {
  if (addr == 0) return -1;
  struct iovec local = {.iov_base = out, .iov_len = n};
  struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = n};
  return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

int tracee_read_string(pid_t pid, uint64_t addr, char *out, size_t n) {
  if (n == 0 || addr == 0) return -1;
  size_t got = 0;
  while (got < n - 1) {
    /* Read up to the end of the page, so a string near unmapped memory still reads. */
    size_t page_left = 4096 - ((addr + got) & 4095);
    size_t want = n - 1 - got < page_left ? n - 1 - got : page_left;
    struct iovec local = {.iov_base = out + got, .iov_len = want};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)(addr + got), .iov_len = want};
    ssize_t r = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (r <= 0) return -1;
    if (memchr(out + got, 0, (size_t)r)) return 0;
    got += (size_t)r;
  }
  out[n - 1] = 0;
  return 0;
}

static int read_link(const char *link, char *out, size_t n) {
  ssize_t r = readlink(link, out, n - 1);
  if (r <= 0) return -1;
  out[r] = 0;
  return 0;
}

int tracee_absolute_path(pid_t pid, int dirfd, const char *path, char *out, size_t n) {
  char root[4096], base[4096], link[64];
  snprintf(link, sizeof link, "/proc/%d/root", pid);
  if (read_link(link, root, sizeof root) != 0) return -1;
  if (path[0] == '/') {
    snprintf(out, n, "%s/%s", strcmp(root, "/") == 0 ? "" : root, path);
  } else {
    if (dirfd == AT_FDCWD) snprintf(link, sizeof link, "/proc/%d/cwd", pid);
    else snprintf(link, sizeof link, "/proc/%d/fd/%d", pid, dirfd);
    if (read_link(link, base, sizeof base) != 0 || base[0] != '/') return -1;
    snprintf(out, n, "%s/%s", base, path);
  }
  path_fold(out);
  return 0;
}
