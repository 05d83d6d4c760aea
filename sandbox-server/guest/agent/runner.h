/*
 * Runs one check: the learner's program as root with its cwd outside the jail,
 * told to jail itself and exec the probe. Streams what it prints (through a pty,
 * so stdio is line-buffered as in a terminal and nothing is lost at exec) and
 * enforces the check's limits; traced for the path race (race.h) and the escape replay (recorder.h).
 */
#ifndef JAILLAB_RUNNER_H
#define JAILLAB_RUNNER_H

#include "wire.h"
#include "world.h"

/* Runs c and sends its MSG_OUTPUT frames and its MSG_CHECK_DONE to port. */
void run_check(int port, int sigchld_fd, const struct check *c);

/* Kills every process but the agent and kernel threads, and reaps them. */
void kill_stray_processes(void);

#endif
