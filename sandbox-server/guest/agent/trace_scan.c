#define _GNU_SOURCE
#include "trace_scan.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#define PROC_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define MAX_DEPTH 16
#define MAX_LINKED 64

struct linked {
  dev_t dev;
  ino_t ino;
  nlink_t nlink;
  int seen;
  char path[WHERE_PATH_CAP];
};

struct walk {
  const struct trace_world *w;
  struct jail_scan *out;
  size_t base_len; /* strlen("/proc/<pid>/root") */
  struct linked linked[MAX_LINKED];
  int nlinked;
};

/* The character devices every jail may have (null, zero, full, random, urandom, tty, ptmx): no way out through them. */
static int harmless(const struct stat *st) {
  unsigned ma = major(st->st_rdev), mi = minor(st->st_rdev);
  return S_ISCHR(st->st_mode) && ((ma == 1 && (mi == 3 || mi == 5 || mi == 7 || mi == 8 || mi == 9)) || (ma == 5 && (mi == 0 || mi == 2)));
}

static void item(struct walk *k, int kind, int flags, const char *full, const char *detail) {
  if (k->out->nitems >= SCAN_MAX_ITEMS) {
    k->out->truncated = 1;
    return;
  }
  struct jail_item *it = &k->out->items[k->out->nitems++];
  it->kind = (unsigned char)kind;
  it->flags = (unsigned char)flags;
  const char *shown = full[k->base_len] ? full + k->base_len : "/";
  snprintf(it->path, sizeof it->path, "%.*s", (int)sizeof it->path - 1, shown);
  snprintf(it->detail, sizeof it->detail, "%s", detail);
}

static int mount_flags(const char *path) {
  struct statvfs v;
  if (statvfs(path, &v) != 0) return 0;
  return (v.f_flag & ST_NODEV ? JAIL_NODEV : 0) | (v.f_flag & ST_NOSUID ? JAIL_NOSUID : 0);
}

static void visit(struct walk *k, char *path, size_t len, int depth) {
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (++k->out->entries > SCAN_MAX_ENTRIES) {
      k->out->truncated = 1;
      break;
    }
    size_t nlen = strlen(e->d_name);
    if (len + 1 + nlen >= 4096) continue;
    path[len] = '/';
    memcpy(path + len + 1, e->d_name, nlen + 1);
    struct stat st;
    if (lstat(path, &st) != 0) continue;
    char detail[64];
    if (S_ISDIR(st.st_mode)) {
      struct statfs fs;
      if (statfs(path, &fs) == 0 && fs.f_type == PROC_MAGIC) item(k, JAIL_PROC, mount_flags(path), path, "a proc filesystem");
      else if (statfs(path, &fs) == 0 && fs.f_type == SYSFS_MAGIC) continue;
      else if (depth < MAX_DEPTH) visit(k, path, len + 1 + nlen, depth + 1);
    } else if ((S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) && !harmless(&st)) {
      snprintf(detail, sizeof detail, "%c %u:%u", S_ISBLK(st.st_mode) ? 'b' : 'c', major(st.st_rdev), minor(st.st_rdev));
      int secret = k->w->have_secret && S_ISBLK(st.st_mode) && st.st_rdev == k->w->secret_dev;
      item(k, JAIL_DEVICE, mount_flags(path) | (secret ? JAIL_IS_SECRET : 0), path, detail);
    } else if (S_ISREG(st.st_mode)) {
      if (st.st_mode & (S_ISUID | S_ISGID)) {
        snprintf(detail, sizeof detail, "mode %04o uid %u gid %u", (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)st.st_gid);
        item(k, JAIL_SETUID, mount_flags(path), path, detail);
      }
      if (st.st_nlink > 1) {
        int found = 0;
        for (int i = 0; i < k->nlinked; i++)
          if (k->linked[i].dev == st.st_dev && k->linked[i].ino == st.st_ino) {
            k->linked[i].seen++;
            found = 1;
          }
        if (!found && k->nlinked < MAX_LINKED) {
          struct linked *l = &k->linked[k->nlinked++];
          l->dev = st.st_dev;
          l->ino = st.st_ino;
          l->nlink = st.st_nlink;
          l->seen = 1;
          snprintf(l->path, sizeof l->path, "%.*s", (int)sizeof l->path - 1, path);
        }
      }
    }
  }
  path[len] = 0;
  closedir(d);
}

void jail_scan(const struct trace_world *w, pid_t pid, struct jail_scan *out) {
  memset(out, 0, sizeof *out);
  out->done = 1;
  static struct walk k;
  memset(&k, 0, sizeof k);
  k.w = w;
  k.out = out;
  char path[4096];
  int len = snprintf(path, sizeof path, "/proc/%d/root", pid);
  k.base_len = (size_t)len;
  visit(&k, path, (size_t)len, 0);
  /* A file with more links than the jail holds has a name outside it. */
  for (int i = 0; i < k.nlinked; i++) {
    struct linked *l = &k.linked[i];
    if ((nlink_t)l->seen >= l->nlink) continue;
    char detail[64];
    snprintf(detail, sizeof detail, "%lu links, %d in the jail", (unsigned long)l->nlink, l->seen);
    int secret = w->have_secret && l->dev == w->secret_dev && l->ino == w->secret_ino;
    item(&k, JAIL_HARDLINK, secret ? JAIL_IS_SECRET : 0, l->path, detail);
  }
}
