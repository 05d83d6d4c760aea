/* squatted-jail: whoever owns the jail's directory can leave a way out in it; tries the socket such a stranger left. */
#include "probe.h"
#include <sys/stat.h>

int main(int argc, char **argv) {
  probe_start(argc, argv, "squatted-jail");
  struct stat root;
  if (stat("/", &root) == 0)
    probe_say("the jail's root belongs to uid %d, mode %04o%s", (int)root.st_uid, (unsigned)(root.st_mode & 07777),
              root.st_uid != 0 || (root.st_mode & 0022) ? ": someone besides root may put things in it" : "");
  int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = "/run/helper.sock"};
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    probe_blocked("connect(\"/run/helper.sock\")", errno);
    probe_say("contained: nobody else left anything in this jail");
    return 1;
  }
  int dir = probe_receive_fd(sock);
  if (dir < 0 || fchdir(dir) != 0) {
    probe_blocked("receiving a directory over /run/helper.sock", dir < 0 ? EBADF : errno);
    return 1;
  }
  if (probe_try_relative("a socket the jail directory's owner left in /run, which handed us the real /")) return 0;
  probe_say("contained: the descriptor led nowhere");
  return 1;
}
