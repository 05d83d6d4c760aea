/* read-data: the jailed service's legitimate job, reading a file inside the jail. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "read-data");
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
  probe_say("service: read /data/ticket -> %s", buf);
  return 0;
}
