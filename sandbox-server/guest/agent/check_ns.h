/*
 * The namespaces a check's processes live in, made fresh for every check, so
 * that the learner's program (root, with every capability) cannot reach the
 * agent that judges it:
 *
 *  - a PID namespace, whose PID 1 is a small init of the agent's (a fork of
 *    it, at the world's root, traced and under the check's filter like the
 *    program) that reaps orphans and does nothing else. The agent, PID 1 of
 *    the VM, has no pid in it: no kill(), ptrace(), pidfd or /proc/<pid> of a
 *    check's process can name it. /proc/1/root is still "a process outside the
 *    jail", as the probes that look for one expect.
 *  - a mount namespace, a copy of the agent's, where that init mounts the
 *    world's /proc (of the check's PID namespace). The agent keeps its own
 *    /proc (of the VM's PID namespace) in its own mount namespace, out of
 *    sight; mounts the program makes stay in the check's namespace and vanish
 *    with it.
 *
 * Files are shared: both namespaces mount the same world disk, so the jail,
 * /outside and the staged binaries are the same files for the agent and the
 * check. The accomplices that only prepare files start in the agent's
 * namespaces; those a probe must find by pid start in the check's, while the
 * program is held (runner.c).
 */
#ifndef JAILLAB_CHECK_NS_H
#define JAILLAB_CHECK_NS_H

#include <sys/types.h>

#include "check_filter.h"
#include "tracer.h"

struct check_ns {
  pid_t init;  /* the check's PID 1, as the agent numbers it; 0 when there is none */
  int pidfd;   /* of init: the PID namespace children are started in */
  int mnt_fd;  /* its mount namespace (nsfs), for children to setns() into */
};

/*
 * Makes the namespaces and their init, traced by t, under filter. From now on the agent's children are born in
 * the check's PID namespace (check_ns_leave() undoes that). 0, or -1 with *err saying why.
 */
int check_ns_enter(struct check_ns *ns, struct tracer *t, const struct check_filter *filter, char **err);

/* The agent's children are born in its own PID namespace again; the descriptors are closed. The init is killed with
 * the check's other processes (kill_stray_processes), which takes the namespace down. */
void check_ns_leave(struct check_ns *ns);

/* Opens the agent's own PID namespace (once, at start-up, before any check). */
void check_ns_setup(void);

#endif
