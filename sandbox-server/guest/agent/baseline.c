#define _GNU_SOURCE
#include "baseline.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "util.h"
#include "world.h"

/* Trees the agent keeps clean; each is walked without crossing into another filesystem. */
static const char *const roots[] = {"/", "/tmp", "/dev"};
/* Rebuilt for every check by world.c, or the host's: never swept here. */
static const char *const kept[] = {STAGE_DIR, JAIL_DIR, OUTSIDE_DIR, "/dev/pts"};

struct strset {
  char **items;
  size_t n, cap;
};

/* Paths of the files, and ids of the mounts, that were there at the start. */
static struct strset files, mounts;

/*
 * The directories of the baseline with their mtime and subdirectories. A directory whose mtime has not
 * moved has had no entry added or removed, so the sweep need not read it: it only visits the recorded
 * subdirectories below. Under TCG every readdir and lstat costs, and most of the tree never changes.
 */
struct dirrec {
  char *path;
  struct timespec mtime;
  char **subdirs;
  size_t nsub;
};
static struct dirrec *dirs;
static size_t ndirs, capdirs;

static int cmp_dir(const void *a, const void *b) {
  return strcmp(((const struct dirrec *)a)->path, ((const struct dirrec *)b)->path);
}

static struct dirrec *find_dir(const char *path) {
  struct dirrec key = {.path = (char *)path};
  return bsearch(&key, dirs, ndirs, sizeof *dirs, cmp_dir);
}

static void dirs_free(void) {
  for (size_t i = 0; i < ndirs; i++) {
    for (size_t j = 0; j < dirs[i].nsub; j++) free(dirs[i].subdirs[j]);
    free(dirs[i].subdirs);
    free(dirs[i].path);
  }
  free(dirs);
  dirs = NULL;
  ndirs = capdirs = 0;
}

static void set_add(struct strset *s, const char *v) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 256;
    s->items = xrealloc(s->items, s->cap * sizeof *s->items);
  }
  s->items[s->n++] = xstrdup(v);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_seal(struct strset *s) {
  qsort(s->items, s->n, sizeof *s->items, cmp_str);
}

static int set_has(const struct strset *s, const char *v) {
  return bsearch(&v, s->items, s->n, sizeof *s->items, cmp_str) != NULL;
}

static int is_kept(const char *path) {
  for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
    if (!strcmp(path, kept[i])) return 1;
  return 0;
}

static char *join(const char *dir, const char *name) {
  return xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

/* Mounts in /proc/self/mountinfo: ids (field 1) in ids, mount points (field 5, octal escapes undone) in paths, same order. */
static void read_mounts(struct strset *ids, struct strset *paths) {
  char *text = read_file("/proc/self/mountinfo", 1 << 20, NULL);
  if (!text) return;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char id[32], raw[4096];
    if (sscanf(line, "%31s %*s %*s %*s %4095s", id, raw) != 2) continue;
    char path[4096];
    size_t j = 0;
    for (size_t i = 0; raw[i] && j < sizeof path - 1; i++) {
      if (raw[i] == '\\' && raw[i + 1] >= '0' && raw[i + 1] <= '3' && raw[i + 2] && raw[i + 3]) {
        path[j++] = (char)((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
        i += 3;
      } else {
        path[j++] = raw[i];
      }
    }
    path[j] = 0;
    set_add(ids, id);
    if (paths) set_add(paths, path);
  }
  free(text);
}

static void set_free(struct strset *s) {
  for (size_t i = 0; i < s->n; i++) free(s->items[i]);
  free(s->items);
  memset(s, 0, sizeof *s);
}

static void record_tree(const char *path, dev_t dev) {
  set_add(&files, path);
  struct stat st;
  if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_dev != dev) return;
  DIR *d = opendir(path);
  if (!d) return;
  if (ndirs == capdirs) {
    capdirs = capdirs ? capdirs * 2 : 64;
    dirs = xrealloc(dirs, capdirs * sizeof *dirs);
  }
  size_t me = ndirs++;
  dirs[me] = (struct dirrec){.path = xstrdup(path), .mtime = st.st_mtim};
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *child = join(path, e->d_name);
    struct stat cst;
    /* A mount point below is another tree (or not ours to record): note the name, do not descend. */
    if (lstat(child, &cst) == 0 && cst.st_dev != dev) set_add(&files, child);
    else {
      if (S_ISDIR(cst.st_mode) && !is_kept(child)) {
        dirs[me].subdirs = xrealloc(dirs[me].subdirs, (dirs[me].nsub + 1) * sizeof(char *));
        dirs[me].subdirs[dirs[me].nsub++] = xstrdup(child);
      }
      record_tree(child, dev);
    }
    free(child);
  }
  closedir(d);
}

/*
 * Machine-wide kernel settings a check must find as the machine has them. Two name a program the kernel itself
 * starts as root (core_pattern, modprobe): a probe (or a learner's program) that rewrote one should put it back,
 * but one killed by a limit cannot, and the next check would then have its crashes or module requests run a script
 * of an old jail. The others decide whether a probe's way out exists at all (ptrace, links, symlinks, FIFOs,
 * dumps): a program that moved one would be judged in another world than the lesson's (world_guard.h). Recorded
 * with the baseline and written back before every check.
 */
static const char *const kernel_settings[] = {
    "/proc/sys/kernel/core_pattern",     "/proc/sys/kernel/modprobe",      "/proc/sys/kernel/yama/ptrace_scope",
    "/proc/sys/fs/protected_hardlinks",  "/proc/sys/fs/protected_symlinks", "/proc/sys/fs/protected_regular",
    "/proc/sys/fs/protected_fifos",      "/proc/sys/fs/suid_dumpable",
};
#define NSETTINGS (sizeof kernel_settings / sizeof *kernel_settings)
static char *kernel_values[NSETTINGS];

static void record_kernel_settings(void) {
  for (size_t i = 0; i < NSETTINGS; i++) {
    free(kernel_values[i]);
    kernel_values[i] = read_file(kernel_settings[i], 4096, NULL);
  }
}

static int restore_kernel_settings(void) {
  int rc = 0;
  for (size_t i = 0; i < NSETTINGS; i++) {
    if (!kernel_values[i]) continue;
    char *now = read_file(kernel_settings[i], 4096, NULL);
    /* The kernel takes the value in one write (a trailing newline is dropped). */
    if ((!now || strcmp(now, kernel_values[i]) != 0) && write_setting(kernel_settings[i], kernel_values[i]) != 0) rc = -1;
    free(now);
  }
  return rc;
}

const char *baseline_setting_changed(void) {
  for (size_t i = 0; i < NSETTINGS; i++) {
    char *now = read_file(kernel_settings[i], 4096, NULL);
    int same = (!now && !kernel_values[i]) || (now && kernel_values[i] && strcmp(now, kernel_values[i]) == 0);
    free(now);
    if (!same) return kernel_settings[i] + strlen("/proc/sys/");
  }
  return NULL;
}

void baseline_record(void) {
  record_kernel_settings();
  set_free(&mounts);
  set_free(&files);
  dirs_free();
  read_mounts(&mounts, NULL);
  set_seal(&mounts);
  for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
    struct stat st;
    if (lstat(roots[i], &st) == 0) record_tree(roots[i], st.st_dev);
  }
  set_seal(&files);
  qsort(dirs, ndirs, sizeof *dirs, cmp_dir);
}

/* Removes what is new below path (a directory of the baseline, on device dev). */
static int sweep(const char *path, dev_t dev) {
  struct dirrec *rec = find_dir(path);
  struct stat self;
  if (rec && lstat(path, &self) == 0 && self.st_mtim.tv_sec == rec->mtime.tv_sec && self.st_mtim.tv_nsec == rec->mtime.tv_nsec) {
    /* No entry added or removed here since it was last clean: only what is below may have changed. */
    int rc = 0;
    for (size_t i = 0; i < rec->nsub; i++) {
      struct stat st;
      if (lstat(rec->subdirs[i], &st) == 0 && S_ISDIR(st.st_mode) && st.st_dev == dev && sweep(rec->subdirs[i], dev) != 0) rc = -1;
    }
    return rc;
  }
  DIR *d = opendir(path);
  if (!d) return errno == ENOENT ? 0 : -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *child = join(path, e->d_name);
    struct stat st;
    if (is_kept(child) || lstat(child, &st) != 0 || st.st_dev != dev) {
      /* kept, already gone, or one of our own mounts */
    } else if (!set_has(&files, child)) {
      if (rm_rf(child) != 0) rc = -1;
    } else if (S_ISDIR(st.st_mode)) {
      if (sweep(child, dev) != 0) rc = -1;
    }
    free(child);
  }
  closedir(d);
  /* Clean again: the next sweep may skip reading it while nothing changes. */
  if (rec && rc == 0 && lstat(path, &self) == 0) rec->mtime = self.st_mtim;
  return rc;
}

static void unmount_foreign(void) {
  /* A mount over a mount comes back one layer at a time: repeat until only the baseline's are left. */
  for (int round = 0; round < 64; round++) {
    struct strset ids = {0}, paths = {0};
    read_mounts(&ids, &paths);
    int found = 0;
    /* Newest (listed last) first, so a mount inside a learner's mount goes before it. */
    for (size_t i = ids.n; i-- > 0;)
      if (!set_has(&mounts, ids.items[i]) && umount2(paths.items[i], MNT_DETACH) == 0) found = 1;
    set_free(&ids);
    set_free(&paths);
    if (!found) break;
  }
}

int baseline_restore(char **err) {
  unmount_foreign();
  /* A root that remounted / read-only would make every later check fail to set up. */
  struct statvfs vfs;
  if (statvfs("/", &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) mount(NULL, "/", NULL, MS_REMOUNT, NULL);
  if (statvfs("/tmp", &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) mount(NULL, "/tmp", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, "size=16m,mode=1777");
  int rc = 0;
  for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
    struct stat st;
    if (lstat(roots[i], &st) == 0 && sweep(roots[i], st.st_dev) != 0) rc = -1;
  }
  /* The space a program filled the disk with comes back once its files are gone, but not always at once: after a
   * read-only remount, ext4 frees a deleted file's blocks only when its inode leaves the cache (seen: 0 blocks free
   * after the sweep, the files gone and held by no process). A nearly full disk is synced and the caches dropped. */
  if (statvfs("/", &vfs) == 0 && vfs.f_bfree < vfs.f_blocks / 8) {
    sync();
    if (write_setting("/proc/sys/vm/drop_caches", "3") != 0) logmsg("drop_caches: %m");
  }
  if (rc != 0) *err = xasprintf("cleaning up after the previous check: %s", strerror(errno));
  else if (restore_kernel_settings() != 0) {
    *err = xasprintf("putting the kernel's settings back (a previous check's program changed one for good?): %s", strerror(errno));
    rc = -1;
  }
  return rc;
}
