/*
 * The seccomp filter a traced program gets before its exec (see tracer.h): it
 * answers SECCOMP_RET_TRACE for the listed x86_64 calls and for every call
 * made through another ABI, and lets everything else run without a stop. It
 * changes nothing else about the program: a call it traces runs normally once
 * the tracer resumes it.
 */
#ifndef JAILLAB_SECCOMP_TRACE_H
#define JAILLAB_SECCOMP_TRACE_H

#include <linux/filter.h>
#include <stddef.h>

/* At most this many calls in one filter (each costs one BPF instruction, and a jump reaches 255 ahead). */
#define SECCOMP_TRACE_MAX_CALLS 200

struct seccomp_trace {
  struct sock_filter insns[SECCOMP_TRACE_MAX_CALLS + 8];
  struct sock_fprog prog;
};

/* Builds the filter for calls[0..n) into f (duplicates are fine); -1 if there are too many. */
int seccomp_trace_build(struct seccomp_trace *f, const long *calls, size_t n);

/* Installs it in the calling process (root: no no_new_privs needed, and none is set). 0 or -1 with errno. */
int seccomp_trace_install(const struct seccomp_trace *f);

#endif
