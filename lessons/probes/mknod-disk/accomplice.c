/* mknod-disk accomplice: the careless admin who copied the disk's device node into the jail (cp -a /dev ...). */
#include "probe.h"
#include <sys/stat.h>
#include <sys/sysmacros.h>

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  char dir[256], node[256];
  snprintf(dir, sizeof dir, "%s/dev", argv[1]);
  snprintf(node, sizeof node, "%s/disk", dir);
  mkdir(dir, 0755);
  unlink(node);
  mknod(node, S_IFBLK | 0644, makedev(7, 0));
  chmod(node, 0644);
  accomplice_ready();
  return 0;
}
