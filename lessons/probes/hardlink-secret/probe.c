/* hardlink-secret: a hard link placed in the jail is the outside file itself. */
#include "probe.h"
#include <ftw.h>
#include <sys/stat.h>

static int found;

static int visit(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)f;
  if (type == FTW_D && (!strcmp(path, "/proc") || !strcmp(path, "/dev") || !strcmp(path, "/sys"))) return FTW_SKIP_SUBTREE;
  if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_nlink < 2) return FTW_CONTINUE;
  char how[400];
  snprintf(how, sizeof how, "%s has %lu links: it is also a file outside", path, (unsigned long)st->st_nlink);
  if (probe_try_read(how, path)) {
    found = 1;
    return FTW_STOP;
  }
  return FTW_CONTINUE;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "hardlink-secret");
  nftw("/", visit, 16, FTW_PHYS | FTW_ACTIONRETVAL);
  if (found) return 0;
  probe_say("blocked: no file in the jail with more than one link");
  probe_say("contained: no hard link leads outside");
  return 1;
}
