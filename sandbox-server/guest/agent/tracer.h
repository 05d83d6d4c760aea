/*
 * A ptrace tracer for the processes of one check: the jail program and
 * everything it forks or execs (the probe among them). It stops a process only
 * at the system calls its hooks asked for, at their entry and at their exit,
 * and hands each stop to a hook, which may act while the process waits: the
 * path race's accomplice swaps the jail's path there (race.c), and the escape
 * replay records the step (recorder.c).
 *
 * Stopping at every call (PTRACE_SYSCALL) costs ~70 µs a stop under TCG, and
 * a probe that scans 32,768 pids with kill() would spend its whole wall limit
 * stopped. So the program gets a seccomp filter before its exec that answers
 * SECCOMP_RET_TRACE for the listed calls and lets every other call run
 * untouched (seccomp_trace.c); the tracer resumes with PTRACE_CONT and sees a
 * PTRACE_EVENT_SECCOMP stop at each listed call, then asks for that call's
 * exit with PTRACE_SYSCALL.
 *
 * A filter of the program's own that refuses a call outranks SECCOMP_RET_TRACE,
 * so such a call would go unseen. Once a traced process installs a filter, the
 * tracer therefore stops it (and what it starts) at every call again, where the
 * entry stop comes before any filter, until a budget of stops is spent
 * (tracer_every_call_budget_spent says so), then falls back to the listed calls.
 *
 * The program asks to be traced itself (spawn_child's `traced`: PTRACE_TRACEME,
 * then it stops itself so the tracer can set its options before the filter and
 * the exec), and the check's filter refuses CLONE_UNTRACED (check_filter.h), so
 * no process of the check is ever untraced. The tracer is therefore on for
 * every check, replay or not: with nothing listed it stops a process only at
 * its forks, clones and execs, and that is how the agent sees the probe start
 * and end (runner.c).
 *
 * Holding: once the genuine probe has exec'd, tracer_hold_all_but() stops every
 * other process of the check at its next stop (a SIGSTOP of its own, whose
 * delivery stop comes to the tracer) and never resumes it, so nothing but the
 * probe's own processes runs while the probe does: no output filter, no second
 * process to kill it, to write into its memory or to tidy the world after it.
 */
#ifndef JAILLAB_TRACER_H
#define JAILLAB_TRACER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct syscall_stop {
  pid_t pid;
  /* The x86_64 system call number; -1 for a call made through another ABI (int 0x80, x32). */
  long nr;
  uint64_t args[6];
  /* 0: about to run (entry); 1: returned (exit), with rval and is_error. */
  int exit;
  int64_t rval;
  int is_error;
};

struct tracer;

/* Whose a process is: the jail program's (and what it started), the probe's (from its genuine exec on), the check's PID 1. */
enum tracee_role { ROLE_PROGRAM, ROLE_PROBE, ROLE_INIT };

typedef void (*syscall_hook)(void *ctx, const struct syscall_stop *stop);

/* What on_exec answers: resume the process, or leave it stopped for the caller to release (tracer_release). */
#define TRACER_RESUME 0
#define TRACER_KEEP_STOPPED 1

struct tracer_hooks {
  /* Each listed call, at its entry and again at its exit (may be NULL when nothing is listed). */
  syscall_hook on_syscall;
  /* The program has exec'd (the agent's exec of it) and not yet run an instruction of it (may be NULL). */
  void (*on_start)(void *ctx, pid_t pid);
  /* Any later exec of a traced process, stopped before its first instruction (may be NULL). */
  int (*on_exec)(void *ctx, pid_t pid);
};

/* Stops this many times at most, in all, at calls nobody listed while watching every call. */
#define TRACER_EVERY_CALL_BUDGET 4000

/* A tracer stopping at the listed x86_64 call numbers (the same list the check's filter was built from; may be empty). */
struct tracer *tracer_new(const long *calls, size_t ncalls, const struct tracer_hooks *hooks, void *ctx);

/* pid, a child the agent just started, will stop itself after PTRACE_TRACEME (spawn_child's `traced`): trace it. */
void tracer_expect(struct tracer *t, pid_t pid, enum tracee_role role);
/* pid already stopped itself after PTRACE_TRACEME and the agent reaped that stop: set the options and resume it. */
void tracer_adopt_stopped(struct tracer *t, pid_t pid, enum tracee_role role);
/* The ptrace options every tracee gets (forks, clones and execs followed; killed if the agent dies). */
int tracer_set_options(pid_t pid);

/* Holds every traced process but `probe` (which becomes the probe's, with whatever it starts from now on). */
void tracer_hold_all_but(struct tracer *t, pid_t probe);
/* Processes still to be held (0: all of them are stopped for good), and those held. */
size_t tracer_not_yet_held(const struct tracer *t);
size_t tracer_held(const struct tracer *t);
/* Resumes a process that on_exec kept stopped. */
void tracer_release(struct tracer *t, pid_t pid);
/* A traced process's role, or -1 if the tracer does not know it. */
int tracer_role(const struct tracer *t, pid_t pid);

/*
 * A waitpid(__WALL) status of some child of the agent. Returns 1 when it was a
 * stop of a traced process, handled and resumed; 0 when the caller should look
 * at it (an exit, or a process this tracer does not know).
 */
int tracer_handle(struct tracer *t, pid_t pid, int status);

/* From now on pid, and what it starts later, stops at every call (see above), within the budget. */
void tracer_watch_every_call(struct tracer *t, pid_t pid);
/* 1 once watching every call was given up for the budget. */
int tracer_every_call_budget_spent(const struct tracer *t);

/* Stops this many times so far (entries, exits and seccomp stops). */
unsigned long tracer_stops(const struct tracer *t);

void tracer_free(struct tracer *t);

/* Reads a NUL-terminated string of the stopped process at addr into out (at most n-1 bytes); -1 on failure. */
int tracee_read_string(pid_t pid, uint64_t addr, char *out, size_t n);
/* Reads n bytes of the stopped process at addr; -1 unless all of them could be read. */
int tracee_read(pid_t pid, uint64_t addr, void *out, size_t n);

/*
 * The absolute path, as the agent sees it, that `path` names for process pid when
 * resolved against dirfd (AT_FDCWD: its cwd) and its root: textual, with "." and
 * ".." folded and symlinks not followed. Returns 0, or -1 when it cannot be told.
 */
int tracee_absolute_path(pid_t pid, int dirfd, const char *path, char *out, size_t n);

#endif
