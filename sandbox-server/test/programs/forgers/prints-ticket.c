/* Builds no jail and never runs the probe: prints a contained probe's lines and the service's real ticket. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  print_contained(argv);
  print_ticket(argv);
  return 0;
}
