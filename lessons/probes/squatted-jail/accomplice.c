/* squatted-jail's accomplice: another user takes the jail's predictable path in /tmp first, and leaves a socket in it. */
#include "probe.h"
#include <sys/stat.h>

int main(void) {
  accomplice_become_service_user();
  /* /tmp is world-writable (and sticky): anyone may create a name in it that is still free, and keep it. */
  if (mkdir("/tmp/jail", 0777) != 0 || chmod("/tmp/jail", 0777) != 0 || mkdir("/tmp/jail/run", 0777) != 0) return 1;
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = "/tmp/jail/run/helper.sock"};
  if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || chmod(addr.sun_path, 0777) != 0 || listen(listener, 8) != 0)
    return 1;
  accomplice_ready();
  accomplice_serve_root_fd(listener);
}
