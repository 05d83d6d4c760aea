/* Builds no jail: runs the real probe, then deletes what it left in /outside/proof and prints contained lines. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  pid_t pid = fork();
  if (pid == 0) {
    execv(probe_outside(argv), &argv[2]);
    _exit(127);
  }
  waitpid(pid, NULL, 0);
  unlink("/outside/proof");
  print_contained(argv);
  return 0;
}
