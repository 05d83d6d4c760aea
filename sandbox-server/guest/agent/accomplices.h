/*
 * A check's accomplices: helpers outside the jail that a probe needs (a
 * careless backup job, a root helper with a socket, a process to ptrace).
 * Each is started from its staged binary, once its bytes are the ones the
 * host sent (sha256: an earlier check's program, root, could have rewritten
 * the staged file), and each says "ready" before the check goes on.
 *
 * Two kinds, by when the probe needs them (the probe's `accompliceStarts`):
 *  - before the program: they prepare the world the program builds its jail
 *    from (a link, a device node, a set-user-ID file, a socket, a squatted
 *    directory) or win a race against it. They run in the agent's own
 *    namespaces, so the program cannot name them.
 *  - with the probe: a process the probe must find by its pid (to ptrace, or
 *    through /proc). They start in the check's namespaces once the probe has
 *    started and every other process of the check is held, so the program
 *    never runs beside them.
 */
#ifndef JAILLAB_ACCOMPLICES_H
#define JAILLAB_ACCOMPLICES_H

#include <stddef.h>
#include <sys/types.h>

#include "world.h"

#define ACCOMPLICES_CGROUP "accomplices"

struct accomplices {
  pid_t pids[CHECK_MAX_ACCOMPLICES];
  /* Their wait statuses once reaped (ended[i] says whether), for telling a helper that finished from one killed. */
  int status[CHECK_MAX_ACCOMPLICES];
  int ended[CHECK_MAX_ACCOMPLICES];
  size_t n;
};

/*
 * Starts c's accomplices of the kind `with_probe` (0: before the program), each in mnt_ns_fd's mount namespace
 * (0: the agent's) and in whatever PID namespace the agent's children are born in now. The first one started
 * gets `cue_fd` as its fd 4 (the race's cue, or -1). 0, or -1 with *err saying why.
 */
int accomplices_start(struct accomplices *a, const struct check *c, int with_probe, int mnt_ns_fd, int cue_fd, char **err);

/* Notes a reaped status if pid is one of them; returns 1 if it was. */
int accomplices_reaped(struct accomplices *a, pid_t pid, int status);

/* NULL while every one that ended did so by itself with status 0; otherwise which one did not (free it). */
char *accomplices_lost(const struct accomplices *a, const struct check *c);

#endif
