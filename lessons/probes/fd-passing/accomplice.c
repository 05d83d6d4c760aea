/* fd-passing accomplice: a careless helper outside the jail that hands out a descriptor of "/" to anyone who asks. */
#include "probe.h"
#include <stddef.h>
#include <sys/stat.h>

int main(void) {
  int path_sock = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un path = {.sun_family = AF_UNIX};
  strcpy(path.sun_path, "/run/fd-helper.sock");
  mkdir("/run", 0755);
  unlink(path.sun_path);
  if (bind(path_sock, (struct sockaddr *)&path, sizeof path) != 0 || listen(path_sock, 8) != 0) return 1;
  chmod(path.sun_path, 0666);
  int abs_sock = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un abstract = {.sun_family = AF_UNIX};
  const char name[] = "\0jaillab-fd-helper";
  memcpy(abstract.sun_path, name, sizeof name - 1);
  if (bind(abs_sock, (struct sockaddr *)&abstract, offsetof(struct sockaddr_un, sun_path) + sizeof name - 1) != 0 || listen(abs_sock, 8) != 0) return 1;
  accomplice_ready();
  if (fork() == 0) accomplice_serve_root_fd(path_sock);
  accomplice_serve_root_fd(abs_sock);
}
