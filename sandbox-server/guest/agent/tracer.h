/*
 * A ptrace tracer for the processes of one check: the jail program and
 * everything it forks or execs (the probe among them). It stops each at every
 * system call's entry and exit (PTRACE_SYSCALL: the entry stop comes before
 * any seccomp filter of the program's own, so even a call a filter refuses is
 * seen, with its errno at the exit) and hands each stop to a hook, which may
 * act while the process waits: the path race's accomplice swaps the jail's
 * path there (race.c), and the escape replay records the step.
 *
 * The program asks to be traced itself (spawn_child's `traced`: PTRACE_TRACEME
 * before its exec), so no process of the check is ever untraced.
 */
#ifndef JAILLAB_TRACER_H
#define JAILLAB_TRACER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct syscall_stop {
  pid_t pid;
  /* The x86_64 system call number; -1 for a call made through another ABI (int 0x80). */
  long nr;
  uint64_t args[6];
  /* 0: about to run (entry); 1: returned (exit), with rval and is_error. */
  int exit;
  int64_t rval;
  int is_error;
};

struct tracer;

typedef void (*syscall_hook)(void *ctx, const struct syscall_stop *stop);

/* Traces `first` (stopped after its exec, as PTRACE_TRACEME leaves it) and whatever it starts. */
struct tracer *tracer_new(pid_t first, syscall_hook hook, void *ctx);

/*
 * A waitpid(__WALL) status of some child of the agent. Returns 1 when it was a
 * stop of a traced process, handled and resumed; 0 when the caller should look
 * at it (an exit, or a process this tracer does not know).
 */
int tracer_handle(struct tracer *t, pid_t pid, int status);

/* Stops this many times so far (entries and exits). */
unsigned long tracer_stops(const struct tracer *t);

void tracer_free(struct tracer *t);

/* Reads a NUL-terminated string of the stopped process at addr into out (at most n-1 bytes); -1 on failure. */
int tracee_read_string(pid_t pid, uint64_t addr, char *out, size_t n);

/*
 * The absolute path, as the agent sees it, that `path` names for process pid when
 * resolved against dirfd (AT_FDCWD: its cwd) and its root: textual, with "." and
 * ".." folded and symlinks not followed. Returns 0, or -1 when it cannot be told.
 */
int tracee_absolute_path(pid_t pid, int dirfd, const char *path, char *out, size_t n);

#endif
