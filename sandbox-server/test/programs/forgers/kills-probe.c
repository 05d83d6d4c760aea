/* Builds no jail: runs the real probe under its own ptrace, kills it at its first stop, then prints contained lines. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  pid_t pid = fork();
  if (pid == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    execv(probe_outside(argv), &argv[2]);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  print_contained(argv);
  print_ticket(argv);
  return 0;
}
