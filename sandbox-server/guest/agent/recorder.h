/*
 * The escape replay of one check: a tracer hook that records each listed call
 * (trace_calls.h) of the jail program, the probe and their children as a step
 * — who made it, its arguments, its result and errno, and what changed: where
 * root and cwd are, the directory descriptors, what an open returned, the
 * credentials and namespaces after an exec — and sends the steps to the host
 * as MSG_TRACE_STEP frames, then a MSG_TRACE_INFO (the program's start, the
 * jail as the probe found it, what was left out).
 *
 * Bounded like output: at most RECORDER_MAX_STEPS steps and RECORDER_MAX_BYTES
 * of frames per check. Beyond that only landmarks are kept (a change of root,
 * cwd, credentials or program, an open that reached outside the jail), up to
 * RECORDER_MAX_LANDMARKS more, and the info says how many steps were left out.
 * Steps are buffered and sent in batches, not while each process waits.
 */
#ifndef JAILLAB_RECORDER_H
#define JAILLAB_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tracer.h"

#define RECORDER_MAX_STEPS 2000
#define RECORDER_MAX_BYTES (256u << 10)
#define RECORDER_MAX_LANDMARKS 256

/* Who made a call (T_STEP_PROC). */
enum { PROC_JAILER = 0, PROC_PROBE = 1, PROC_OTHER = 2, PROC_ACCOMPLICE = 3 };

struct recorder;

struct recorder *recorder_new(int port, uint32_t check_index, const char *probe_name, const char *jail_dir, const char *secret_path);
/* For watching every call once the program installs a seccomp filter of its own. */
void recorder_set_tracer(struct recorder *r, struct tracer *t);

/* The tracer's hooks. */
void recorder_on_start(void *r, pid_t pid);
void recorder_on_syscall(void *r, const struct syscall_stop *stop);

/* pid has exec'd the genuine probe (before that exec's call returns): it is labelled the probe from then on. */
void recorder_genuine_probe(struct recorder *r, pid_t pid);

/* A step the agent adds itself (the race's swap, made by the accomplice while the program waited). */
void recorder_note(struct recorder *r, pid_t pid, int proc, const char *call, const char *note);

/* Sends what is buffered and the info frame. */
void recorder_finish(struct recorder *r);
void recorder_free(struct recorder *r);

/* The x86_64 numbers of the calls recorded (for the seccomp filter and the tracer). */
size_t recorder_calls(long *out, size_t max);

#endif
