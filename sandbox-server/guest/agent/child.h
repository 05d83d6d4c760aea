/*
 * The processes the agent starts (the jail program, accomplices, the shell)
 * and what it sends about them. One place for the environment they get, how
 * they are set up between fork and exec, how their output and exit travel to
 * the host, and the SIGCHLD drain: the runner and the shell share all of it.
 *
 * Set-up between fork and exec is checked call by call, like nsjail's: a child
 * that cannot be put in its cgroup, its directory or its descriptors never runs
 * at all (exit 126, with the failed call and errno written to its error fd),
 * because a process running outside its limits or in the wrong place would
 * make the check's verdict a lie.
 */
#ifndef JAILLAB_CHILD_H
#define JAILLAB_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "check_filter.h"
#include "wire.h"

/* Exit status of a child whose set-up failed before exec (as a shell says "found but cannot run"). */
#define CHILD_SETUP_FAILED 126
/* Exit status of a child whose exec failed. */
#define CHILD_EXEC_FAILED 127

extern const char *const child_env[];       /* the jail program and accomplices */
extern const char *const shell_child_env[]; /* the interactive shell: the same, with a prompt */

struct child_spec {
  const char *path;
  char *const *argv;
  const char *const *env;
  /* A cgroup below CGROUP_ROOT to be born in (CLONE_INTO_CGROUP), or NULL. */
  const char *cgroup;
  const char *cwd;
  /* Descriptors for 0, 1, 2; -1 means /dev/null. Every descriptor given here is above 3. */
  int stdin_fd, stdout_fd, stderr_fd;
  /* A pty slave to make the controlling terminal (a session of its own), or -1 for just a new session. */
  int ctty_fd;
  /* Descriptors to pass as fd 3 and fd 4 (an accomplice's ready pipe and race cue), or -1. All others above 2 are closed. */
  int fd3, fd4;
  /* Asks to be traced by the agent (PTRACE_TRACEME, then stops itself for the tracer) just before the exec: see tracer.h. */
  int traced;
  /* A mount namespace (an nsfs descriptor, above 2) to enter first; 0 (unset) for the agent's own (check_ns.h). */
  int mnt_ns_fd;
  /* The supplementary groups to start with (ngroups 0: none, like the agent's own). */
  const gid_t *groups;
  int ngroups;
  /* Where a set-up failure is reported: a descriptor of the child's (1, 2 or 3 after set-up), written before exiting. */
  int error_fd;
  /* The check's seccomp filter (check_filter.h), installed last before the exec (after the tracer's options with `traced`), or NULL. */
  const struct check_filter *filter;
};

/* Forks and execs spec; returns the child's pid. A failed fork is fatal for the agent. */
pid_t spawn_child(const struct child_spec *spec);

/* Sends len bytes of a child's output as a frame of type (MSG_OUTPUT with T_INDEX index, or MSG_SHELL_OUTPUT). */
void send_child_output(int port, uint8_t type, int with_index, uint32_t index, const char *data, size_t len);

/* Puts T_EXIT_CODE and T_SIGNAL for a wait status; a child that never ran (ran == 0) gets code -1, signal 0. */
void wire_put_exit(struct wire_out *o, int status, int ran);

/* Empties the SIGCHLD signalfd (its only use is to wake poll; children are reaped with waitpid). */
void drain_signalfd(int sigchld_fd);

#endif
