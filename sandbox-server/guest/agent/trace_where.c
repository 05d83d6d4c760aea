#define _GNU_SOURCE
#include "trace_where.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracer.h"
#include "util.h"

static const char *const NS_NAMES[4] = {"user", "mnt", "pid", "net"};

int path_below(const char *path, const char *dir) {
  if (strcmp(dir, "/") == 0) return path[0] == '/';
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Copies src into dst (size n), cut short if need be. */
static void copy_path(char *dst, size_t n, const char *src) {
  size_t l = strnlen(src, n - 1);
  memcpy(dst, src, l);
  dst[l] = 0;
}

static int read_link(const char *link, char *out, size_t n) {
  ssize_t r = readlink(link, out, n - 1);
  if (r <= 0) return -1;
  out[r] = 0;
  return 0;
}

void trace_world_init(struct trace_world *w, const char *jail_dir, const char *secret_path) {
  memset(w, 0, sizeof *w);
  char *real = realpath(jail_dir, NULL);
  copy_path(w->jail, sizeof w->jail, real ? real : jail_dir);
  free(real);
  struct stat st;
  if (stat(secret_path, &st) == 0) {
    w->secret_dev = st.st_dev;
    w->secret_ino = st.st_ino;
    w->have_secret = 1;
  }
  for (int i = 0; i < 4; i++) {
    char link[64];
    snprintf(link, sizeof link, "/proc/1/ns/%s", NS_NAMES[i]);
    if (read_link(link, w->ns[i], sizeof w->ns[i]) != 0) w->ns[i][0] = 0;
  }
}

static int same_file(const struct stat *a, const char *path) {
  struct stat b;
  return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

int where_of(const struct trace_world *w, const char *link, const char *root_path, struct where *out) {
  memset(out, 0, sizeof *out);
  out->fd = -1;
  char p[WHERE_PATH_CAP];
  if (read_link(link, p, sizeof p) != 0) return -1;
  size_t len = strlen(p);
  static const char deleted[] = " (deleted)";
  if (len > sizeof deleted - 1 && strcmp(p + len - (sizeof deleted - 1), deleted) == 0) {
    p[len - (sizeof deleted - 1)] = 0;
    out->flags |= W_DELETED;
  }
  copy_path(out->path, sizeof out->path, p);
  struct stat st;
  if (p[0] != '/' || stat(link, &st) != 0) {
    /* socket:[123], pipe:[45], anon_inode:...: nowhere in the tree. */
    out->flags |= W_FOREIGN;
    return 0;
  }
  if (S_ISDIR(st.st_mode)) out->flags |= W_DIR;
  if (S_ISBLK(st.st_mode)) out->flags |= W_BLOCKDEV;
  if (S_ISCHR(st.st_mode)) out->flags |= W_CHARDEV;
  if (w->have_secret && ((st.st_dev == w->secret_dev && st.st_ino == w->secret_ino) || (S_ISBLK(st.st_mode) && st.st_rdev == w->secret_dev)))
    out->flags |= W_SECRET;
  if (!(out->flags & W_DELETED) && !same_file(&st, p)) {
    /* A path from the top of another mount tree: after pivot_root() that top is the jail. */
    char below[2 * WHERE_PATH_CAP];
    snprintf(below, sizeof below, "%s%s", w->jail, strcmp(p, "/") == 0 ? "" : p);
    if (strlen(below) < sizeof out->path && same_file(&st, below)) copy_path(out->path, sizeof out->path, below);
    else out->flags |= W_FOREIGN;
  }
  if (!(out->flags & W_FOREIGN) && path_below(out->path, w->jail)) out->flags |= W_INSIDE;
  if (!root_path || (!(out->flags & W_FOREIGN) && path_below(out->path, root_path))) out->flags |= W_BELOW_ROOT;
  return 0;
}

/* Uid: 0 0 0 0 -> "0,0,0,0" (tabs and spaces to commas, trimmed). */
static void field_of(const char *status, const char *key, char *out, size_t n) {
  out[0] = 0;
  const char *at = strstr(status, key);
  if (!at) return;
  at += strlen(key);
  while (*at == ' ' || *at == '\t') at++;
  size_t i = 0;
  int gap = 0;
  for (; *at && *at != '\n' && i + 1 < n; at++) {
    if (*at == ' ' || *at == '\t') {
      gap = 1;
      continue;
    }
    if (gap && i > 0) out[i++] = ',';
    gap = 0;
    if (i + 1 < n) out[i++] = *at;
  }
  out[i] = 0;
}

void trace_creds(pid_t pid, char *out, size_t n) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  size_t len = 0;
  char *status = read_file(path, 8192, &len);
  out[0] = 0;
  if (!status) return;
  char uid[64], gid[64], groups[128], prm[24], eff[24], bnd[24], nnp[8], sec[8];
  field_of(status, "\nUid:", uid, sizeof uid);
  field_of(status, "\nGid:", gid, sizeof gid);
  field_of(status, "\nGroups:", groups, sizeof groups);
  field_of(status, "\nCapPrm:", prm, sizeof prm);
  field_of(status, "\nCapEff:", eff, sizeof eff);
  field_of(status, "\nCapBnd:", bnd, sizeof bnd);
  field_of(status, "\nNoNewPrivs:", nnp, sizeof nnp);
  field_of(status, "\nSeccomp:", sec, sizeof sec);
  snprintf(out, n, "uid=%s;gid=%s;groups=%s;capprm=%s;capeff=%s;capbnd=%s;nnp=%s;seccomp=%s", uid, gid, groups, prm, eff, bnd, nnp, sec);
  free(status);
}

static void ns_of(const struct trace_world *w, pid_t pid, char *out, size_t n) {
  out[0] = 0;
  for (int i = 0; i < 4; i++) {
    char link[64], id[64];
    snprintf(link, sizeof link, "/proc/%d/ns/%s", pid, NS_NAMES[i]);
    if (read_link(link, id, sizeof id) != 0 || !w->ns[i][0] || strcmp(id, w->ns[i]) == 0) continue;
    size_t used = strlen(out);
    snprintf(out + used, n - used, "%s%s", used ? "," : "", NS_NAMES[i]);
  }
}

static void dirfds_of(const struct trace_world *w, pid_t pid, const char *root_path, struct snapshot *s) {
  char dir[64];
  snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
  DIR *d = opendir(dir);
  s->have_dirfds = 1;
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) && s->ndirfds < SNAPSHOT_MAX_DIRFDS) {
    char *end;
    long fd = strtol(e->d_name, &end, 10);
    if (*end || end == e->d_name) continue;
    char link[96];
    snprintf(link, sizeof link, "/proc/%d/fd/%ld", pid, fd);
    struct stat st;
    if (stat(link, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    struct where *wh = &s->dirfds[s->ndirfds];
    if (where_of(w, link, root_path, wh) != 0) continue;
    wh->fd = (int32_t)fd;
    s->ndirfds++;
  }
  closedir(d);
}

int snapshot_take(const struct trace_world *w, pid_t pid, int what, struct snapshot *s) {
  memset(s, 0, sizeof *s);
  char link[64];
  snprintf(link, sizeof link, "/proc/%d/root", pid);
  if (where_of(w, link, NULL, &s->root) != 0) return -1;
  snprintf(link, sizeof link, "/proc/%d/cwd", pid);
  if (where_of(w, link, s->root.path, &s->cwd) != 0) return -1;
  if (what & SNAP_DIRFDS) dirfds_of(w, pid, s->root.path, s);
  if (what & SNAP_CREDS) {
    trace_creds(pid, s->creds, sizeof s->creds);
    s->have_creds = s->creds[0] != 0;
  }
  if (what & SNAP_NS) {
    ns_of(w, pid, s->ns, sizeof s->ns);
    s->have_ns = 1;
  }
  return 0;
}

int resolve_path_arg(const struct trace_world *w, pid_t pid, int dirfd, const char *path, struct where *out) {
  char link[64];
  struct where root, base = {.fd = -1};
  snprintf(link, sizeof link, "/proc/%d/root", pid);
  if (where_of(w, link, NULL, &root) != 0) return -1;
  char full[3 * WHERE_PATH_CAP];
  if (path[0] == '/') {
    /* ".." at the root stays there: fold the path on its own, then put it below the root. */
    char rel[2 * WHERE_PATH_CAP];
    copy_path(rel, sizeof rel, path);
    path_fold(rel);
    snprintf(full, sizeof full, "%s%s", strcmp(root.path, "/") == 0 ? "" : root.path, strcmp(rel, "/") == 0 && strcmp(root.path, "/") != 0 ? "" : rel);
  } else {
    if (dirfd == AT_FDCWD) snprintf(link, sizeof link, "/proc/%d/cwd", pid);
    else snprintf(link, sizeof link, "/proc/%d/fd/%d", pid, dirfd);
    if (where_of(w, link, root.path, &base) != 0) return -1;
    if ((base.flags & W_BELOW_ROOT) && strcmp(root.path, "/") != 0) {
      /* ".." stops at the process's root when it starts below it: fold below the root, then put the root in front. */
      char rel[2 * WHERE_PATH_CAP];
      snprintf(rel, sizeof rel, "%s/%.*s", base.path + strlen(root.path), WHERE_PATH_CAP, path);
      path_fold(rel);
      snprintf(full, sizeof full, "%s%.*s", root.path, 2 * WHERE_PATH_CAP, strcmp(rel, "/") == 0 ? "" : rel);
    } else {
      /* From outside its root nothing stops ".." before the real root: that is the escape. */
      snprintf(full, sizeof full, "%s/%s", base.path, path);
      path_fold(full);
    }
  }
  memset(out, 0, sizeof *out);
  out->fd = -1;
  copy_path(out->path, sizeof out->path, full);
  if ((root.flags | base.flags) & W_FOREIGN) out->flags |= W_FOREIGN;
  else if (path_below(out->path, w->jail)) out->flags |= W_INSIDE;
  if (path_below(out->path, root.path)) out->flags |= W_BELOW_ROOT;
  return 0;
}
