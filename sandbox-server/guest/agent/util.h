/* Small helpers the agent uses everywhere. Failing allocations and setup errors are fatal: the host sees the VM die and reports a fault. */
#ifndef JAILLAB_UTIL_H
#define JAILLAB_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#define AGENT_VERSION "1"

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int write_all(int fd, const void *buf, size_t len);
/* Writes data to path (created or truncated) with mode; returns 0 or -1 with errno. */
int write_file(const char *path, const void *data, size_t len, mode_t mode);
/* Writes value to an existing file that takes it in one write (a /proc or /sys setting); 0 or -1 with errno. */
int write_setting(const char *path, const char *value);
/* Reads up to max bytes of path into a fresh NUL-terminated buffer; NULL with errno on failure. */
char *read_file(const char *path, size_t max, size_t *len_out);
int mkdir_p(const char *path, mode_t mode);
/* Removes path and everything below it without following symlinks; 0 or -1. */
int rm_rf(const char *path);
/* Copies the tree at src to dst (files, dirs, symlinks, modes). */
int copy_tree(const char *src, const char *dst);
/* True if rel is a relative path with no "..", no "//" and no leading "/". */
int safe_relative_path(const char *rel);
/* Folds "//", "/./" and "/../" in an absolute path, in place (textually: symlinks are not followed). */
void path_fold(char *p);
long long monotonic_ms(void);
long long monotonic_us(void);

#endif
