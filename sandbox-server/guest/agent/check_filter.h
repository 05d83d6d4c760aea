/*
 * The seccomp filter every process of a check runs under (the jail program,
 * what it starts, the check's PID 1), installed by the agent before the
 * program's exec. It does two things:
 *
 *  - It refuses the few calls that would let a program reach the grading
 *    rather than the jail: a child the agent could not trace (clone with
 *    CLONE_UNTRACED; clone3, whose flags a filter cannot read, gets ENOSYS and
 *    glibc falls back to clone), work the kernel does later on the program's
 *    behalf with no process to hold (io_uring), and loading code into the
 *    kernel (bpf, modules, kexec). See the threat model in docs/security.md.
 *  - For the escape replay and the path race it answers SECCOMP_RET_TRACE for
 *    the listed x86_64 calls (and for every call through the 32-bit ABI), so
 *    the tracer stops the process there and lets every other call run
 *    untouched (tracer.h).
 *
 * Calls through the x32 ABI get ENOSYS, as Debian's kernel answers them
 * anyway (x32 is off unless booted with syscall.x32=y).
 */
#ifndef JAILLAB_CHECK_FILTER_H
#define JAILLAB_CHECK_FILTER_H

#include <linux/filter.h>
#include <stddef.h>

/* At most this many traced calls in one filter (each costs one BPF instruction, and a jump reaches 255 ahead). */
#define CHECK_FILTER_MAX_CALLS 200

struct check_filter {
  struct sock_filter insns[CHECK_FILTER_MAX_CALLS + 48];
  struct sock_fprog prog;
};

/* Builds the filter tracing calls[0..n) (n may be 0: refusals only) into f; -1 with E2BIG if there are too many. */
int check_filter_build(struct check_filter *f, const long *calls, size_t n);

/* Installs it in the calling process (root: no no_new_privs needed, and none is set). 0 or -1 with errno. */
int check_filter_install(const struct check_filter *f);

#endif
