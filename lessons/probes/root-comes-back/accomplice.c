/* root-comes-back accomplice: an admin socket inside the jail, for members of group root only (mode 0660 root:root). */
#include "probe.h"
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  char dir[256], path[256];
  snprintf(dir, sizeof dir, "%s/run", argv[1]);
  snprintf(path, sizeof path, "%s/admin.sock", dir);
  mkdir(dir, 0755);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
  unlink(path);
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0) return 1;
  chown(path, 0, 0);
  chmod(path, 0660);
  accomplice_ready();
  accomplice_serve_root_fd(s);
}
