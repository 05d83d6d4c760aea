/* hardlink-secret: a hard link placed in the jail is the outside file itself. */
#include "probe.h"
#include <dirent.h>
#include <sys/stat.h>

/* Walks the tree below dir (symlinks not followed, /proc /dev /sys skipped) for a file with several links. */
static int walk(const char *dir, int depth) {
  if (depth > 32) return 0;
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  int found = 0;
  while (!found && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
    if (!strcmp(path, "/proc") || !strcmp(path, "/dev") || !strcmp(path, "/sys")) continue;
    struct stat st;
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      found = walk(path, depth + 1);
    } else if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
      char how[4200];
      snprintf(how, sizeof how, "%s has %lu links: it is also a file outside", path, (unsigned long)st.st_nlink);
      found = probe_try_read(how, path);
    }
  }
  closedir(d);
  return found;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "hardlink-secret");
  if (walk("/", 0)) return 0;
  probe_say("blocked: no file in the jail with more than one link");
  probe_say("contained: no hard link leads outside");
  return 1;
}
