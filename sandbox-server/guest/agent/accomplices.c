#define _GNU_SOURCE
#include "accomplices.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "child.h"
#include "sha256.h"
#include "util.h"

/* How long an accomplice may take to say it is ready (TCG under load is slow to start processes). */
#define ACCOMPLICE_READY_MS 5000

/*
 * Waits for an accomplice's word on its ready pipe: "ready" (probe.h's accomplice_ready()), or the reason
 * its set-up failed. Returns 0 when ready; otherwise -1 with *err saying why.
 */
static int await_ready(int fd, pid_t pid, const char *name, int *status, int *ended, char **err) {
  char buf[256];
  size_t len = 0;
  long long deadline = monotonic_ms() + ACCOMPLICE_READY_MS;
  for (;;) {
    long long left = deadline - monotonic_ms();
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = left > 0 ? poll(&p, 1, (int)left) : 0;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *err = xasprintf("the accomplice of %s did not say it was ready within %d s", name, ACCOMPLICE_READY_MS / 1000);
      return -1;
    }
    ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) {
      len += (size_t)r;
      buf[len] = 0;
      if (strncmp(buf, "ready", 5) == 0) return 0;
      if (len < sizeof buf - 1 && !memchr(buf, '\n', len)) continue;
    }
    buf[len] = 0;
    buf[strcspn(buf, "\n")] = 0;
    if (len > 0) {
      *err = xasprintf("the accomplice of %s could not start: %s", name, buf);
      return -1;
    }
    /* The pipe closed unannounced: the accomplice is most likely dying. Give it a moment to become a zombie. */
    pid_t w = 0;
    for (int i = 0; i < 50 && (w = waitpid(pid, status, WNOHANG)) == 0; i++) usleep(10000);
    if (w == pid) *ended = 1;
    if (w == pid && WIFEXITED(*status))
      *err = xasprintf("the accomplice of %s exited (status %d) before it was ready", name, WEXITSTATUS(*status));
    else if (w == pid && WIFSIGNALED(*status))
      *err = xasprintf("the accomplice of %s was killed by signal %d before it was ready", name, WTERMSIG(*status));
    else
      *err = xasprintf("the accomplice of %s closed its ready pipe without saying ready", name);
    return -1;
  }
}

/* The staged binary, if its bytes are the host's; -1 with *err otherwise. */
static int verified(const char *path, const uint8_t *want, const char *name, char **err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  uint8_t got[SHA256_BYTES];
  if (fd < 0 || sha256_fd(fd, got) != 0) {
    *err = xasprintf("the accomplice of %s is not staged: %s", name, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  if (memcmp(got, want, SHA256_BYTES) != 0) {
    *err = xasprintf("the staged accomplice of %s is not the one the host sent (an earlier check's program rewrote it?)", name);
    close(fd);
    return -1;
  }
  return fd;
}

int accomplices_start(struct accomplices *a, const struct check *c, int with_probe, int mnt_ns_fd, int cue_fd, char **err) {
  int first = 1;
  for (int i = 0; i < c->naccomplices; i++) {
    const struct accomplice *acc = &c->accomplices[i];
    if (acc->with_probe != with_probe) continue;
    if (a->n == 0 && cgroup_create(ACCOMPLICES_CGROUP, 32u << 20, 32) != 0) {
      *err = xasprintf("creating the accomplices' cgroup: %s", strerror(errno));
      return -1;
    }
    char *path = xasprintf("%s/%s", STAGE_DIR, acc->path);
    /* Nothing of the learner's runs now (before the program, or with it held): the file cannot change before the exec. */
    int fd = verified(path, acc->sha256, c->probe_name, err);
    if (fd < 0) {
      free(path);
      return -1;
    }
    close(fd);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) die("pipe: %m");
    char *argv[] = {path, JAIL_DIR, c->nonce, NULL};
    struct child_spec spec = {
        .path = path, .argv = argv, .env = child_env, .cgroup = ACCOMPLICES_CGROUP, .cwd = "/",
        .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1, .ctty_fd = -1, .fd3 = ready[1], .fd4 = first ? cue_fd : -1, .error_fd = 3,
        .mnt_ns_fd = mnt_ns_fd,
    };
    first = 0;
    pid_t pid = spawn_child(&spec);
    close(ready[1]);
    size_t me = a->n++;
    a->pids[me] = pid;
    int rc = await_ready(ready[0], pid, c->probe_name, &a->status[me], &a->ended[me], err);
    close(ready[0]);
    free(path);
    if (rc != 0) return -1;
  }
  return 0;
}

int accomplices_reaped(struct accomplices *a, pid_t pid, int status) {
  for (size_t i = 0; i < a->n; i++)
    if (a->pids[i] == pid) {
      a->status[i] = status;
      a->ended[i] = 1;
      return 1;
    }
  return 0;
}

char *accomplices_lost(const struct accomplices *a, const struct check *c) {
  for (size_t i = 0; i < a->n; i++) {
    if (!a->ended[i] || (WIFEXITED(a->status[i]) && WEXITSTATUS(a->status[i]) == 0)) continue;
    if (WIFSIGNALED(a->status[i]))
      return xasprintf("the accomplice of %s was killed by signal %d before the probe started (your program killed it?)", c->probe_name, WTERMSIG(a->status[i]));
    return xasprintf("the accomplice of %s exited with status %d before the probe started", c->probe_name, WEXITSTATUS(a->status[i]));
  }
  return NULL;
}
