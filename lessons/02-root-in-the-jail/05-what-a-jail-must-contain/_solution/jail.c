/*
 * A jail program. JailLab runs it as root in a fresh VM:
 *
 *     jailer <jail-dir> <probe> [probe arguments...]
 *
 * It must lock itself into <jail-dir>, then exec <probe> (a path inside the
 * jail) with its arguments: execv(argv[2], &argv[2]).
 * Keep stdout and stderr open: they are the probe's voice.
 *
 * This lesson's service is dynamically linked: the jail must hold what it needs to start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>

#define SERVICE_ID 1000 /* the jailed service's user and group */

/* What `ldd` names for the service, and nothing else: the loader the kernel starts, and the one library. ldd does
 * not see libraries loaded later with dlopen() (NSS modules, gconv); this service loads none: the `files` lookups
 * of getpwuid() are in libc.so.6 itself. */
static const char *const needed[] = {"/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6"};

/* mkdir -p for the directories above `path` (not the last component). */
static int make_parents(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
    *p = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return 0;
}

/* Writes `len` bytes to a new file below the jail (its parents made), with `mode`. */
static int write_into_jail(const char *jail, const char *path, const void *data, size_t len, mode_t mode) {
  char to[4096];
  snprintf(to, sizeof to, "%s%s", jail, path);
  if (make_parents(to) != 0) return -1;
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
  if (out < 0) return -1;
  int ok = write(out, data, len) == (ssize_t)len;
  return close(out) == 0 && ok ? 0 : -1;
}

/* Copies one file of the machine to the same path below the jail (the libraries are a few MiB: read it whole). */
static int copy_into_jail(const char *jail, const char *path) {
  static char buf[8 << 20];
  int in = open(path, O_RDONLY);
  if (in < 0) return -1;
  ssize_t n = read(in, buf, sizeof buf);
  close(in);
  return n > 0 && n < (ssize_t)sizeof buf ? write_into_jail(jail, path, buf, (size_t)n, 0755) : -1;
}

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <jail-dir> <probe> [args...]\n", argv[0]);
    return 2;
  }
  const char *jail = argv[1];

  for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
    if (copy_into_jail(jail, needed[i]) != 0) {
      perror(needed[i]);
      return 1;
    }
  }
  /* The service asks who it runs as: one line, its own, not the machine's whole /etc. */
  const char passwd[] = "service:x:1000:1000:the jailed service:/:/bin/false\n";
  if (write_into_jail(jail, "/etc/passwd", passwd, sizeof passwd - 1, 0644) != 0) {
    perror("/etc/passwd");
    return 1;
  }

  if (chroot(jail) != 0) {
    perror("chroot");
    return 1;
  }
  if (chdir("/") != 0) {
    perror("chdir");
    return 1;
  }
  if (setgroups(0, NULL) != 0 || setgid(SERVICE_ID) != 0 || setuid(SERVICE_ID) != 0) {
    perror("dropping privileges");
    return 1;
  }

  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
