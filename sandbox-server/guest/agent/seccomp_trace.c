#define _GNU_SOURCE
#include "seccomp_trace.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

int seccomp_trace_build(struct seccomp_trace *f, const long *calls, size_t n) {
  if (n > SECCOMP_TRACE_MAX_CALLS) {
    errno = E2BIG;
    return -1;
  }
  size_t at = 0;
  struct sock_filter *p = f->insns;
  /* Another ABI (int 0x80): its numbers mean other calls; trace them all. */
  p[at++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  p[at++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  p[at++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
  p[at++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* The instructions after this point: one test per call, the x32 test, ALLOW, then TRACE last. */
  size_t tests = n + 1;
  /* x32 calls (bit 30 set) are x86_64's numbers in another ABI: trace them too. */
  p[at++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, (unsigned char)(tests), 0);
  for (size_t i = 0; i < n; i++) {
    size_t left = tests - 1 - i; /* tests after this one, then ALLOW: TRACE is that far plus one */
    p[at++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i], (unsigned char)left, 0);
  }
  p[at++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  p[at++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
  f->prog.len = (unsigned short)at;
  f->prog.filter = f->insns;
  return 0;
}

int seccomp_trace_install(const struct seccomp_trace *f) {
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f->prog, 0, 0);
}
