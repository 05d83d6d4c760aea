/* Builds no jail and never runs the probe: prints the lines a contained probe prints. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  print_contained(argv);
  return 0;
}
