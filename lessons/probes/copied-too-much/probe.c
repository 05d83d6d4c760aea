/* copied-too-much: searches every readable file in the jail for the machine's secret. */
#include "probe.h"
#include <ftw.h>
#include <sys/stat.h>

static int found;
static long files;

/* SECRET- and 24 hex digits, as the agent writes the canary; the probe's own binary has the prefix only. */
static const char *find_secret(const char *buf, size_t n) {
  for (const char *p = buf; (p = memmem(p, (size_t)(buf + n - p), "SECRET-", 7)) && p + 31 <= buf + n; p += 7) {
    int hex = 1;
    for (int i = 7; i < 31; i++) hex &= (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f');
    if (hex) return p;
  }
  return NULL;
}

static int look(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)f;
  if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size > (4 << 20)) return 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  static char buf[(4 << 20) + 1];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  files++;
  const char *secret = n > 0 ? find_secret(buf, (size_t)n) : NULL;
  if (secret) {
    probe_say("escape: %s, copied into the jail with the rest -> %.31s", path, secret);
    found = 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "copied-too-much");
  /* The jail's own files only: FTW_MOUNT stays on the jail's filesystem, FTW_PHYS follows no symlink out. */
  if (nftw("/", look, 16, FTW_PHYS | FTW_MOUNT) != 0) probe_blocked("nftw(\"/\")", errno);
  if (found) return 0;
  probe_say("blocked: read %ld files in the jail, no secret among them", files);
  probe_say("contained: the jail holds nothing it should not");
  return 1;
}
