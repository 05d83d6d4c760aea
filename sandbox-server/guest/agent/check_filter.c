#define _GNU_SOURCE
#include "check_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* The 32-bit ABI's numbers for the same calls (arch/x86/entry/syscalls/syscall_32.tbl). */
enum { I386_CLONE = 120, I386_INIT_MODULE = 128, I386_DELETE_MODULE = 129, I386_KEXEC_LOAD = 283, I386_FINIT_MODULE = 350, I386_BPF = 357,
       I386_IO_URING_SETUP = 425, I386_CLONE3 = 435 };
#define X32_SYSCALL_BIT 0x40000000u

/* Refused outright, by number, in each ABI: EPERM for the kernel's own code, ENOSYS where a fallback exists. */
struct refusal {
  unsigned nr;
  unsigned err;
};
static const struct refusal native_refused[] = {
    {SYS_clone3, ENOSYS}, {SYS_io_uring_setup, ENOSYS}, {SYS_bpf, EPERM}, {SYS_kexec_load, EPERM}, {SYS_kexec_file_load, EPERM},
    {SYS_init_module, EPERM}, {SYS_finit_module, EPERM}, {SYS_delete_module, EPERM},
};
static const struct refusal i386_refused[] = {
    {I386_CLONE3, ENOSYS}, {I386_IO_URING_SETUP, ENOSYS}, {I386_BPF, EPERM}, {I386_KEXEC_LOAD, EPERM},
    {I386_INIT_MODULE, EPERM}, {I386_FINIT_MODULE, EPERM}, {I386_DELETE_MODULE, EPERM},
};
#define COUNT(a) (sizeof a / sizeof *a)

/*
 * A tiny assembler with forward labels: BPF jumps only forward, by at most 255, so every jump is written
 * as a target label and patched once the label's place is known.
 */
enum label { L_I386, L_NOSYS, L_EPERM, L_TRACE, L_COUNT };
struct asm_ctx {
  struct sock_filter *p;
  size_t at;
  size_t label_at[L_COUNT];
  struct {
    size_t insn;
    int is_true;
    enum label to;
  } fix[CHECK_FILTER_MAX_CALLS + 48];
  size_t nfix;
};

static void emit(struct asm_ctx *a, struct sock_filter s) {
  a->p[a->at++] = s;
}

/* A conditional jump: to label `to` when the test is true (or false), on to the next instruction otherwise. */
static void jump_to(struct asm_ctx *a, unsigned short code, unsigned k, int when_true, enum label to) {
  a->fix[a->nfix].insn = a->at;
  a->fix[a->nfix].is_true = when_true;
  a->fix[a->nfix++].to = to;
  emit(a, (struct sock_filter)BPF_JUMP(code, k, 0, 0));
}

static void place(struct asm_ctx *a, enum label l) {
  a->label_at[l] = a->at;
}

static int patch(struct asm_ctx *a) {
  for (size_t i = 0; i < a->nfix; i++) {
    size_t off = a->label_at[a->fix[i].to] - a->fix[i].insn - 1;
    if (off > 255) return -1;
    if (a->fix[i].is_true) a->p[a->fix[i].insn].jt = (unsigned char)off;
    else a->p[a->fix[i].insn].jf = (unsigned char)off;
  }
  return 0;
}

static void load_nr(struct asm_ctx *a) {
  emit(a, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
}

/* clone(flags, ...) with CLONE_UNTRACED: EPERM. Leaves the call number loaded. */
static void refuse_untraced_clone(struct asm_ctx *a, unsigned clone_nr) {
  /* nr == clone ? check flags : skip the three instructions of the check */
  emit(a, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, clone_nr, 0, 3));
  emit(a, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
  jump_to(a, BPF_JMP | BPF_JSET | BPF_K, CLONE_UNTRACED, 1, L_EPERM);
  load_nr(a);
}

static void refuse(struct asm_ctx *a, const struct refusal *r, size_t n) {
  for (size_t i = 0; i < n; i++) jump_to(a, BPF_JMP | BPF_JEQ | BPF_K, r[i].nr, 1, r[i].err == ENOSYS ? L_NOSYS : L_EPERM);
}

int check_filter_build(struct check_filter *f, const long *calls, size_t n) {
  if (n > CHECK_FILTER_MAX_CALLS) {
    errno = E2BIG;
    return -1;
  }
  static struct asm_ctx a;
  a = (struct asm_ctx){.p = f->insns};
  emit(&a, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
  jump_to(&a, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, L_I386);
  /* x86_64 */
  load_nr(&a);
  jump_to(&a, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 1, L_NOSYS);
  refuse_untraced_clone(&a, SYS_clone);
  refuse(&a, native_refused, COUNT(native_refused));
  for (size_t i = 0; i < n; i++) jump_to(&a, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i], 1, L_TRACE);
  emit(&a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  place(&a, L_TRACE);
  emit(&a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
  /* The 32-bit ABI: its numbers mean other calls. The refusals, then every call traced when anything is. */
  place(&a, L_I386);
  load_nr(&a);
  refuse_untraced_clone(&a, I386_CLONE);
  refuse(&a, i386_refused, COUNT(i386_refused));
  emit(&a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, n ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW));
  place(&a, L_NOSYS);
  emit(&a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
  place(&a, L_EPERM);
  emit(&a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
  if (patch(&a) != 0) {
    errno = E2BIG;
    return -1;
  }
  f->prog.len = (unsigned short)a.at;
  f->prog.filter = f->insns;
  return 0;
}

int check_filter_install(const struct check_filter *f) {
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f->prog, 0, 0);
}
