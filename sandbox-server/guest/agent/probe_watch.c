#define _GNU_SOURCE
#include "probe_watch.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "util.h"

/* How long the rest of the check gets to be held after the probe's exec (a process in the kernel stops when it leaves). */
#define HOLD_MS 2000

void probe_watch_init(struct probe_watch *w, const struct check *c) {
  memset(w, 0, sizeof *w);
  w->c = c;
}

/* Whether pid now runs the probe the host sent: the same size, then the same sha256, of what the kernel mapped. */
static int runs_genuine_probe(const struct check *c, pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/exe", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st;
  uint8_t got[SHA256_BYTES];
  int genuine = fstat(fd, &st) == 0 && (uint64_t)st.st_size == c->probe_size && sha256_fd(fd, got) == 0 && memcmp(got, c->probe_sha256, SHA256_BYTES) == 0;
  close(fd);
  return genuine;
}

int probe_watch_exec(struct probe_watch *w, pid_t pid) {
  if (w->phase != PROBE_NOT_STARTED) return 0;
  if (runs_genuine_probe(w->c, pid)) {
    w->phase = PROBE_HOLDING;
    w->pid = pid;
    w->hold_deadline_ms = monotonic_ms() + HOLD_MS;
    return 1;
  }
  char link[64], exe[200];
  snprintf(link, sizeof link, "/proc/%d/exe", pid);
  ssize_t n = readlink(link, exe, sizeof exe - 1);
  if (n <= 0) return 0;
  exe[n] = 0;
  const char *base = strrchr(exe, '/');
  if (!w->impostor[0] && base && strcmp(base + 1, w->c->probe_name) == 0) snprintf(w->impostor, sizeof w->impostor, "%s", exe);
  return 0;
}

void probe_watch_void(struct probe_watch *w, char *reason) {
  if (w->void_reason) free(reason);
  else w->void_reason = reason;
}

void probe_watch_free(struct probe_watch *w) {
  free(w->void_reason);
  w->void_reason = NULL;
}
