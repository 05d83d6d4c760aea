#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("jaillab-agent: fatal: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  /* As PID 1 this panics the guest; with panic=-1 and -no-reboot QEMU exits and the host reports a VM fault. */
  _exit(1);
}

void logmsg(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("jaillab-agent: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory (%zu bytes)", n);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) die("out of memory (%zu bytes)", n);
  return q;
}

char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) die("out of memory");
  return p;
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) die("out of memory");
  va_end(ap);
  return s;
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      if (errno == EAGAIN) usleep(1000);
      continue;
    }
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int write_file(const char *path, const void *data, size_t len, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return -1;
  int rc = write_all(fd, data, len);
  /* A new file has its mode already (the agent's umask is 0): only one that existed needs it set (a metadata write
   * costs about a millisecond under TCG, and a check writes several files). */
  struct stat st;
  if (rc == 0 && (fstat(fd, &st) != 0 || ((st.st_mode & 07777) != (mode & 07777) && fchmod(fd, mode) != 0))) rc = -1;
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

int write_setting(const char *path, const char *value) {
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  int rc = write_all(fd, value, strlen(value));
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

char *read_file(const char *path, size_t max, size_t *len_out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return NULL;
  char *buf = xmalloc(max + 1);
  size_t len = 0;
  while (len < max) {
    ssize_t n = read(fd, buf + len, max - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = 0;
  if (len_out) *len_out = len;
  return buf;
}

int mkdir_p(const char *path, mode_t mode) {
  char *p = xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(p, mode) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, mode);
  free(p);
  return rc == 0 || errno == EEXIST ? 0 : -1;
}

int rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode)) return unlink(path);
  DIR *d = opendir(path);
  /* Root reads any directory; one a jailed program made unreadable otherwise (an attribute) is taken back first. */
  if (!d && errno == EACCES && chmod(path, 0700) == 0) d = opendir(path);
  if (!d) return -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *child = xasprintf("%s/%s", path, e->d_name);
    if (rm_rf(child) != 0) rc = -1;
    free(child);
  }
  closedir(d);
  if (rmdir(path) != 0) rc = -1;
  return rc;
}

/* In-kernel copy: under TCG every userspace read/write round trip is dear, and the
 * jail program and a probe (~1 MB each, static) are copied for every check. */
static int copy_file(const char *src, const char *dst, mode_t mode) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) return -1;
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (out < 0) {
    close(in);
    return -1;
  }
  int rc = 0;
  for (;;) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) rc = -1;
    if (n <= 0) break;
  }
  struct stat st;
  if (rc == 0 && (fstat(out, &st) != 0 || ((st.st_mode & 07777) != (mode & 07777) && fchmod(out, mode) != 0))) rc = -1;
  close(in);
  if (close(out) != 0) rc = -1;
  return rc;
}

int copy_tree(const char *src, const char *dst) {
  struct stat st;
  if (lstat(src, &st) != 0) return -1;
  if (S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) return -1;
    target[n] = 0;
    return symlink(target, dst);
  }
  if (S_ISREG(st.st_mode)) return copy_file(src, dst, st.st_mode & 07777);
  if (!S_ISDIR(st.st_mode)) return 0;
  if (mkdir(dst, st.st_mode & 07777) != 0) {
    if (errno != EEXIST || chmod(dst, st.st_mode & 07777) != 0) return -1;
  }
  DIR *d = opendir(src);
  if (!d) return -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *s = xasprintf("%s/%s", src, e->d_name);
    char *t = xasprintf("%s/%s", dst, e->d_name);
    if (copy_tree(s, t) != 0) rc = -1;
    free(s);
    free(t);
  }
  closedir(d);
  return rc;
}

int safe_relative_path(const char *rel) {
  if (!*rel || rel[0] == '/') return 0;
  const char *p = rel;
  while (*p) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
    if (!slash) break;
    p = slash + 1;
  }
  return 1;
}

long long monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long monotonic_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Folds "//", "/./" and "/../" in an absolute path, in place (textually: symlinks are not followed). */
void path_fold(char *p) {
  char *out = p;
  const char *in = p;
  while (*in) {
    while (*in == '/') in++;
    if (!*in) break;
    const char *end = strchr(in, '/');
    size_t len = end ? (size_t)(end - in) : strlen(in);
    if (len == 1 && in[0] == '.') {
    } else if (len == 2 && in[0] == '.' && in[1] == '.') {
      while (out > p && *--out != '/') {
      }
    } else {
      *out++ = '/';
      memmove(out, in, len);
      out += len;
    }
    in += len;
  }
  if (out == p) *out++ = '/';
  *out = 0;
}
