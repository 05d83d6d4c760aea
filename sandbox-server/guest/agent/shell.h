/*
 * The interactive shell (issue #4): the world of a check (jail tree in /jail,
 * the learner's program as /usr/local/sbin/jailer, a canary in
 * /outside/secret), plus every probe of the lesson and a busybox in /jail/bin
 * so the learner can run their jail by hand (`jailer /jail /bin/sh`) and look
 * around inside it. A busybox shell runs on a pty outside the jail until it
 * exits; the host ends idle shells by destroying the VM.
 */
#ifndef JAILLAB_SHELL_H
#define JAILLAB_SHELL_H

#include "wire.h"

/* Serves MSG_SHELL: m is the frame that asked (still unconsumed in `in`); returns when the shell has ended. */
void run_shell(int port, int sigchld_fd, struct wire_in *in, const struct wire_msg *m);

#endif
