/* Builds no jail: starts the real probe and a sibling that stops it, then kills it, then prints contained lines. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  pid_t probe = fork();
  if (probe == 0) {
    execv(probe_outside(argv), &argv[2]);
    _exit(127);
  }
  if (fork() == 0) {
    for (int i = 0; i < 100000; i++) kill(probe, SIGSTOP);
    kill(probe, SIGKILL);
    _exit(0);
  }
  while (wait(NULL) > 0) {
  }
  print_contained(argv);
  return 0;
}
