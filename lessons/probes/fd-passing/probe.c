/* fd-passing: asks a helper outside the jail for a directory descriptor over a UNIX socket. */
#include "probe.h"

static int try_socket(const char *label, const struct sockaddr_un *addr, socklen_t len) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) {
    probe_blocked("socket(AF_UNIX)", errno);
    return 0;
  }
  if (connect(s, (const struct sockaddr *)addr, len) != 0) {
    char call[128];
    snprintf(call, sizeof call, "connect(%s)", label);
    probe_blocked(call, errno);
    close(s);
    return 0;
  }
  int fd = probe_receive_fd(s);
  close(s);
  if (fd < 0) {
    probe_say("blocked: %s sent no descriptor", label);
    return 0;
  }
  if (fchdir(fd) != 0) {
    probe_blocked("fchdir(received fd)", errno);
    return 0;
  }
  char how[160];
  snprintf(how, sizeof how, "directory fd received over %s (SCM_RIGHTS), fchdir()", label);
  return probe_try_relative(how);
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "fd-passing");
  /* A socket in the filesystem: a chroot hides it, unless the jail's cwd is still outside. */
  struct sockaddr_un path = {.sun_family = AF_UNIX};
  strcpy(path.sun_path, "/run/fd-helper.sock");
  if (try_socket("/run/fd-helper.sock", &path, sizeof path)) return 0;
  /* An abstract socket has no file at all: its name lives in the network namespace, which chroot does not change. */
  struct sockaddr_un abstract = {.sun_family = AF_UNIX};
  const char name[] = "\0jaillab-fd-helper";
  memcpy(abstract.sun_path, name, sizeof name - 1);
  if (try_socket("abstract socket @jaillab-fd-helper", &abstract, offsetof(struct sockaddr_un, sun_path) + sizeof name - 1)) return 0;
  probe_say("contained: no helper socket is reachable");
  return 1;
}
