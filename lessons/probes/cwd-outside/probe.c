/* cwd-outside: relative paths from a working directory that chroot() did not move. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "cwd-outside");
  /* Enough ".." to reach the real root from anywhere; at the real root ".." stays put. */
  const char *paths[] = {
      "outside/secret",
      "../outside/secret",
      "../../../../../../../../outside/secret",
  };
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    char how[128];
    snprintf(how, sizeof how, "relative path %s", paths[i]);
    if (probe_try_read(how, paths[i])) {
      probe_write_proof("../../../../../../../../outside/proof");
      return 0;
    }
  }
  probe_say("contained: no relative path reaches the outside");
  return 1;
}
