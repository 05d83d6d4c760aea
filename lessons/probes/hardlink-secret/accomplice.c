/* hardlink-secret accomplice: a backup script (root) that hard-linked a file from outside into the jail. */
#include "probe.h"
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  char dir[256], dst[300];
  snprintf(dir, sizeof dir, "%s/var", argv[1]);
  mkdir(dir, 0755);
  snprintf(dir, sizeof dir, "%s/var/backups", argv[1]);
  mkdir(dir, 0755);
  snprintf(dst, sizeof dst, "%s/secret.bak", dir);
  unlink(dst);
  link("/outside/secret", dst);
  accomplice_ready();
  return 0;
}
