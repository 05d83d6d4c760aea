#define _GNU_SOURCE
#include "world_guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "accomplices.h"
#include "baseline.h"
#include "tracer.h"
#include "util.h"
#include "world.h"

/* PF_KTHREAD in /proc/<pid>/stat's flags: a kernel thread, not a process anyone started. */
#define PF_KTHREAD 0x00200000

static char *through_init(pid_t init, const char *path) {
  return xasprintf("/proc/%d/root%s", init, path);
}

static int has_acl(const char *path) {
  return lgetxattr(path, "system.posix_acl_access", NULL, 0) >= 0 || lgetxattr(path, "system.posix_acl_default", NULL, 0) >= 0;
}

static int lstat_through(pid_t init, const char *path, struct stat *st) {
  char *p = through_init(init, path);
  int rc = lstat(p, st);
  free(p);
  return rc;
}

/* Field 5 (mount point) and the rest that say what is mounted there, for the mounts on "/" and on or below /outside. */
static char *mounts_that_matter(pid_t init) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mountinfo", init);
  char *text = read_file(path, 1 << 20, NULL);
  if (!text) return NULL;
  size_t cap = 256, len = 0;
  char *out = xmalloc(cap);
  out[0] = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char id[32], dev[32], root[1024], point[1024], opts[256];
    if (sscanf(line, "%31s %*s %31s %1023s %1023s %255s", id, dev, root, point, opts) != 5) continue;
    if (strcmp(point, "/") != 0 && strcmp(point, OUTSIDE_DIR) != 0 && strncmp(point, OUTSIDE_DIR "/", sizeof OUTSIDE_DIR) != 0) continue;
    const char *sep = strstr(line, " - ");
    char entry[2600];
    int n = snprintf(entry, sizeof entry, "%s %s %s %s %s %s\n", id, dev, root, point, opts, sep ? sep + 3 : "");
    if (n < 0) continue;
    while (len + (size_t)n + 1 > cap) out = xrealloc(out, cap *= 2);
    memcpy(out + len, entry, (size_t)n + 1);
    len += (size_t)n;
  }
  free(text);
  return out;
}

int world_guard_record(struct world_guard *g, pid_t init, char **err) {
  memset(g, 0, sizeof *g);
  g->init = init;
  if (lstat_through(init, "/", &g->root) != 0 || lstat_through(init, OUTSIDE_DIR, &g->outside) != 0 || lstat_through(init, SECRET_PATH, &g->secret) != 0) {
    *err = xasprintf("looking at the check's world: %s", strerror(errno));
    return -1;
  }
  g->mounts = mounts_that_matter(init);
  if (!g->mounts) {
    *err = xasprintf("reading the check's mounts: %s", strerror(errno));
    return -1;
  }
  return 0;
}

static int same_inode(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_mode == b->st_mode && a->st_uid == b->st_uid && a->st_gid == b->st_gid;
}

static char *changed(const char *what, const char *path) {
  return xasprintf("%s %s before it started the probe", what, path);
}

char *world_guard_verify(const struct world_guard *g, const char *secret) {
  char *mounts = mounts_that_matter(g->init);
  int same = mounts && strcmp(mounts, g->mounts) == 0;
  free(mounts);
  if (!same) return xasprintf("your program mounted, unmounted or remounted something on / or %s (outside the jail) before it started the probe", OUTSIDE_DIR);
  struct stat st;
  const struct {
    const char *path;
    const struct stat *was;
  } files[] = {{"/", &g->root}, {OUTSIDE_DIR, &g->outside}, {SECRET_PATH, &g->secret}};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    if (lstat_through(g->init, files[i].path, &st) != 0) return changed("your program removed or hid", files[i].path);
    if (!same_inode(&st, files[i].was)) return changed("your program replaced, moved or changed the owner or mode of", files[i].path);
    char *p = through_init(g->init, files[i].path);
    int acl = has_acl(p);
    free(p);
    if (acl) return changed("your program put an access control list on", files[i].path);
  }
  char *p = through_init(g->init, SECRET_PATH);
  size_t len = 0;
  char *content = read_file(p, 4096, &len);
  free(p);
  size_t want = strlen(secret);
  same = content && len == want + 1 && memcmp(content, secret, want) == 0 && content[want] == '\n';
  free(content);
  if (!same) return changed("your program rewrote", SECRET_PATH);
  const char *setting = baseline_setting_changed();
  if (setting) return xasprintf("your program changed the kernel setting %s before it started the probe", setting);
  char link[64], target[16];
  snprintf(link, sizeof link, "/proc/%d/root", g->init);
  ssize_t n = readlink(link, target, sizeof target - 1);
  struct stat init_root;
  if (n != 1 || target[0] != '/' || stat(link, &init_root) != 0 || init_root.st_ino != g->root.st_ino || init_root.st_dev != g->root.st_dev)
    return xasprintf("the check's PID 1 is no longer at the world's root (your program moved it) when the probe started");
  return NULL;
}

/* Field `n` (1-based, after the parenthesised name) of /proc/<pid>/stat as a number, with the state (field 3); -1 if unreadable. */
static long long stat_field(pid_t pid, int n, char *comm, size_t ncomm, char *state) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  char *text = read_file(path, 4096, NULL);
  if (!text) return -1;
  char *open = strchr(text, '('), *close = strrchr(text, ')');
  long long v = -1;
  if (open && close && close > open) {
    snprintf(comm, ncomm, "%.*s", (int)(close - open - 1), open + 1);
    char *f = close + 2; /* field 3, the state */
    *state = *f;
    for (int i = 3; i < n && f; i++) {
      f = strchr(f, ' ');
      if (f) f++;
    }
    if (f) v = atoll(f);
  }
  free(text);
  return v;
}

/* Whether pid runs in the accomplices' cgroup: the agent's accomplices and what they fork (a helper that serves). */
static int in_accomplices_cgroup(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
  char *text = read_file(path, 512, NULL);
  int ours = text && strcmp(text, "0::/" ACCOMPLICES_CGROUP "\n") == 0;
  free(text);
  return ours;
}

pid_t world_guard_last_pid(void) {
  char *text = read_file("/proc/sys/kernel/ns_last_pid", 32, NULL);
  pid_t last = text ? (pid_t)atoi(text) : 0;
  free(text);
  return last;
}

char *world_guard_strangers(const struct tracer *t, const pid_t *mine, size_t nmine, pid_t before) {
  DIR *d = opendir("/proc");
  if (!d) return xasprintf("the agent could not list the VM's processes: %s", strerror(errno));
  /* Every user process the check could have set off is younger than `before`, unless the pids wrapped meanwhile. */
  if (world_guard_last_pid() < before) before = 0;
  char *found = NULL;
  struct dirent *e;
  while (!found && (e = readdir(d))) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end || pid <= 1 || pid <= before || pid == getpid() || tracer_role(t, (pid_t)pid) >= 0) continue;
    int ours = 0;
    for (size_t i = 0; i < nmine; i++) ours |= mine[i] == pid;
    /* No process of the check can name one outside its PID namespace, nor so move it into this cgroup. */
    if (ours || in_accomplices_cgroup((pid_t)pid)) continue;
    char comm[64] = "", state = '?';
    long long flags = stat_field((pid_t)pid, 9, comm, sizeof comm, &state);
    /* Gone meanwhile, a kernel thread, or a zombie its held parent has not reaped (it runs nothing). */
    if (flags < 0 || (flags & PF_KTHREAD) || state == 'Z' || state == 'X') continue;
    found = xasprintf("a process the agent did not start and cannot hold (pid %ld, \"%s\": a kernel helper your program set off, as core_pattern, modprobe or a release_agent do?) was running when the probe started", pid, comm);
  }
  closedir(d);
  return found;
}

void world_guard_free(struct world_guard *g) {
  free(g->mounts);
  memset(g, 0, sizeof *g);
}
