/* path-race: the jail program resolved the jail's path twice and an accomplice swapped it in between. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "path-race");
  /* If the swap won, our working directory is the old jail, now above our root: relative paths walk out. */
  if (probe_try_relative("working directory left above the swapped root")) return 0;
  probe_say("contained: the working directory is inside the root");
  return 1;
}
