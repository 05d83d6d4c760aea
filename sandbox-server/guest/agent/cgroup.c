#define _GNU_SOURCE
#include "cgroup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int cg_write(const char *name, const char *file, const char *value) {
  char *path = xasprintf("%s/%s/%s", CGROUP_ROOT, name, file);
  int rc = write_setting(path, value);
  free(path);
  return rc;
}

void cgroup_setup(void) {
  mkdir_p(CGROUP_ROOT, 0755);
  if (mount("cgroup2", CGROUP_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, "favordynmods") != 0 && errno != EBUSY)
    die("mount cgroup2: %m");
  const char *ctl = "+memory +pids";
  char *path = xasprintf("%s/cgroup.subtree_control", CGROUP_ROOT);
  if (write_setting(path, ctl) != 0) die("enable cgroup controllers: %m");
  free(path);
}

int cgroup_create(const char *name, uint64_t mem_bytes, uint32_t pids) {
  char *dir = xasprintf("%s/%s", CGROUP_ROOT, name);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    free(dir);
    return -1;
  }
  free(dir);
  char buf[32];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)mem_bytes);
  if (cg_write(name, "memory.max", buf) != 0) return -1;
  /* No swap in the guest, but say so: a hog must hit the limit, not page out. Kill the whole group when one
   * process hits the limit, so a hog cannot limp on. */
  if (cg_write(name, "memory.swap.max", "0") != 0 || cg_write(name, "memory.oom.group", "1") != 0) return -1;
  snprintf(buf, sizeof buf, "%u", pids);
  return cg_write(name, "pids.max", buf);
}

int cgroup_enter(const char *name) {
  return cg_write(name, "cgroup.procs", "0");
}

int cgroup_kill(const char *name) {
  /* A group that is not there has nobody to kill. */
  if (cg_write(name, "cgroup.kill", "1") == 0 || errno == ENOENT) return 0;
  logmsg("killing cgroup %s: %m", name);
  return -1;
}

int cgroup_memory_exhausted(const char *name, uint64_t max_bytes, long long *stall_start_us) {
  if (cgroup_stat(name, "memory.events", "max") <= 0) return 0;
  /* Without swap, anonymous and shmem pages cannot be reclaimed: a group full of them can only be killed. */
  long long anon = cgroup_stat(name, "memory.stat", "anon"), shmem = cgroup_stat(name, "memory.stat", "shmem");
  long long pinned = (anon > 0 ? anon : 0) + (shmem > 0 ? shmem : 0);
  if ((uint64_t)pinned >= max_bytes / 10 * 9) return 1;
  /* Otherwise it may be thrashing on file pages: the kernel calls that progress and never OOM-kills. */
  char *path = xasprintf("%s/%s/memory.pressure", CGROUP_ROOT, name);
  char *text = read_file(path, 1024, NULL);
  free(path);
  if (!text) return 0;
  char *full = strstr(text, "full ");
  char *total = full ? strstr(full, "total=") : NULL;
  long long stalled = total ? atoll(total + 6) : 0;
  free(text);
  if (*stall_start_us < 0) *stall_start_us = stalled;
  return stalled - *stall_start_us > 1000000;
}

int cgroup_populated(const char *name) {
  long long populated = cgroup_stat(name, "cgroup.events", "populated");
  /* Unreadable is not empty: a check whose group cannot be read runs to its deadline rather than ending early. */
  if (populated < 0) logmsg("reading %s/cgroup.events: %m", name);
  return populated != 0;
}

long long cgroup_stat(const char *name, const char *file, const char *key) {
  char *path = xasprintf("%s/%s/%s", CGROUP_ROOT, name, file);
  char *text = read_file(path, 16384, NULL);
  free(path);
  if (!text) return -1;
  long long value = 0;
  size_t klen = strlen(key);
  for (char *line = text; line && *line;) {
    if (!strncmp(line, key, klen) && line[klen] == ' ') {
      value = atoll(line + klen + 1);
      break;
    }
    line = strchr(line, '\n');
    if (line) line++;
  }
  free(text);
  return value;
}

void cgroup_remove(const char *name) {
  char *dir = xasprintf("%s/%s", CGROUP_ROOT, name);
  /* Busy (a process outlived its kill) or sabotaged (a child group): the next check empties and reuses it. */
  if (rmdir(dir) != 0 && errno != ENOENT && errno != EBUSY) logmsg("removing cgroup %s: %m", name);
  free(dir);
}
