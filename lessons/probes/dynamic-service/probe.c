/* dynamic-service: the jailed service as most programs are, dynamically linked; it needs its loader, libc and a name. */
#include "probe.h"
#include <pwd.h>

int main(int argc, char **argv) {
  probe_start(argc, argv, "dynamic-service");
  /* getpwuid() reads the jail's /etc/passwd: a service that logs its user needs that file too. */
  struct passwd *me = getpwuid(getuid());
  if (!me) {
    probe_say("blocked: uid %d has no entry in the jail's /etc/passwd (the service cannot say who it runs as)", (int)getuid());
    return 1;
  }
  int fd = open("/data/ticket", O_RDONLY);
  if (fd < 0) {
    probe_blocked("open(\"/data/ticket\")", errno);
    return 1;
  }
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) {
    probe_blocked("read(\"/data/ticket\")", n < 0 ? errno : ENODATA);
    return 1;
  }
  buf[n] = 0;
  buf[strcspn(buf, "\n")] = 0;
  probe_say("service: running as %s, dynamically linked; read /data/ticket -> %s", me->pw_name, buf);
  return 0;
}
