/* Builds no jail: hides /outside under an empty tmpfs, then runs the real probe. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  if (mount("tmpfs", "/outside", "tmpfs", 0, NULL) != 0) return 1;
  execv(probe_outside(argv), &argv[2]);
  return 1;
}
