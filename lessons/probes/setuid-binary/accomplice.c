/*
 * setuid-binary accomplice. Before the check it copies itself into the jail as
 * /bin/rootsh, owned by root with the set-user-ID bit: a "helper" an admin left
 * there. Run as rootsh, it does what such helpers do: become root, run argv[1].
 */
#include "probe.h"
#include <sys/stat.h>

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/');
  if (strcmp(base ? base + 1 : argv[0], "rootsh") == 0) {
    if (argc < 2) return 2;
    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
      /* nosuid or no_new_privs: the bit was ignored and we run as the caller. Let the probe report it. */
    }
    execv(argv[1], argv + 1);
    return 127;
  }
  if (argc < 2) return 1;
  char dst[256];
  snprintf(dst, sizeof dst, "%s/bin/rootsh", argv[1]);
  int in = open("/proc/self/exe", O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  char buf[65536];
  ssize_t n;
  while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write(out, buf, (size_t)n);
  close(in);
  close(out);
  chown(dst, 0, 0);
  chmod(dst, 04755);
  accomplice_ready();
  return 0;
}
