#define _GNU_SOURCE
#include "race.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* How long the accomplice gets to swap the path while the jail program waits. */
#define SWAP_TIMEOUT_MS 2000
#define MAX_LOOKUP_NAMES 6

/* A system call that looks a path up: which argument is the path, and which (if any) the directory it is relative to. */
struct lookup_call {
  long nr;
  const char *name;
  int path_arg, dirfd_arg; /* dirfd_arg -1: relative to the cwd */
  int second_path_arg;     /* a second path (mount's target, pivot_root's put_old, rename's new name), or -1 */
  int sets_root;
};

static const struct lookup_call calls[] = {
    {SYS_chroot, "chroot", 0, -1, -1, 1},
    {SYS_pivot_root, "pivot_root", 0, -1, 1, 1},
    {SYS_chdir, "chdir", 0, -1, -1, 0},
    {SYS_open, "open", 0, -1, -1, 0},
    {SYS_openat, "openat", 1, 0, -1, 0},
    {SYS_openat2, "openat2", 1, 0, -1, 0},
    {SYS_creat, "creat", 0, -1, -1, 0},
    {SYS_stat, "stat", 0, -1, -1, 0},
    {SYS_lstat, "lstat", 0, -1, -1, 0},
    {SYS_newfstatat, "newfstatat", 1, 0, -1, 0},
    {SYS_statx, "statx", 1, 0, -1, 0},
    {SYS_statfs, "statfs", 0, -1, -1, 0},
    {SYS_access, "access", 0, -1, -1, 0},
    {SYS_faccessat, "faccessat", 1, 0, -1, 0},
    {SYS_faccessat2, "faccessat2", 1, 0, -1, 0},
    {SYS_readlink, "readlink", 0, -1, -1, 0},
    {SYS_readlinkat, "readlinkat", 1, 0, -1, 0},
    {SYS_mkdir, "mkdir", 0, -1, -1, 0},
    {SYS_mkdirat, "mkdirat", 1, 0, -1, 0},
    {SYS_mount, "mount", 0, -1, 1, 0},
    {SYS_umount2, "umount2", 0, -1, -1, 0},
    {SYS_chmod, "chmod", 0, -1, -1, 0},
    {SYS_fchmodat, "fchmodat", 1, 0, -1, 0},
    {SYS_chown, "chown", 0, -1, -1, 0},
    {SYS_lchown, "lchown", 0, -1, -1, 0},
    {SYS_fchownat, "fchownat", 1, 0, -1, 0},
    {SYS_execve, "execve", 0, -1, -1, 0},
    {SYS_execveat, "execveat", 1, 0, -1, 0},
};

/* The call a process is in, as seen at its entry. */
struct pending {
  pid_t pid;
  const struct lookup_call *call;
  int through_jail;
};

struct race {
  char jail[256];
  int accomplice_fd;
  /* Calls that looked the jail's path up successfully, by name, in order (each once). */
  const char *looked_up[MAX_LOOKUP_NAMES];
  int nlooked;
  int swapped;
  char note[512];
  struct pending pending[64];
};

struct race *race_new(const char *jail, int accomplice_fd) {
  struct race *r = xmalloc(sizeof *r);
  memset(r, 0, sizeof *r);
  snprintf(r->jail, sizeof r->jail, "%s", jail);
  r->accomplice_fd = accomplice_fd;
  return r;
}

void race_free(struct race *r) {
  free(r);
}

const char *race_note(const struct race *r) {
  return r->note[0] ? r->note : NULL;
}

static const struct lookup_call *lookup_call_of(long nr) {
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    if (calls[i].nr == nr) return &calls[i];
  return NULL;
}

static struct pending *pending_of(struct race *r, pid_t pid) {
  struct pending *free_slot = NULL;
  for (size_t i = 0; i < sizeof r->pending / sizeof r->pending[0]; i++) {
    if (r->pending[i].pid == pid) return &r->pending[i];
    if (!r->pending[i].pid && !free_slot) free_slot = &r->pending[i];
  }
  if (free_slot) free_slot->pid = pid;
  return free_slot;
}

/* Does path argument `arg` of this stop name the jail or something below it? `shown` gets the path as the program wrote it. */
static int names_jail(const struct race *r, const struct syscall_stop *s, int arg, int dirfd_arg, char *shown, size_t n) {
  char path[4096], abs[8192];
  if (arg < 0 || tracee_read_string(s->pid, s->args[arg], path, sizeof path) != 0) return 0;
  if (shown && n) {
    size_t l = strnlen(path, n - 1);
    memcpy(shown, path, l);
    shown[l] = 0;
  }
  int dirfd = dirfd_arg < 0 ? AT_FDCWD : (int)s->args[dirfd_arg];
  if (tracee_absolute_path(s->pid, dirfd, path, abs, sizeof abs) != 0) return 0;
  size_t len = strlen(r->jail);
  return strncmp(abs, r->jail, len) == 0 && (abs[len] == 0 || abs[len] == '/');
}

/* "mount(), openat() and chdir()" */
static void list_calls(const struct race *r, char *out, size_t n) {
  out[0] = 0;
  for (int i = 0; i < r->nlooked; i++) {
    size_t used = strlen(out);
    snprintf(out + used, n - used, "%s%s()", i == 0 ? "" : i == r->nlooked - 1 ? " and " : ", ", r->looked_up[i]);
  }
}

/* Tells the accomplice the window is open and waits (bounded) until it has swapped the path. */
static int swap_now(struct race *r) {
  if (r->accomplice_fd < 0 || write_all(r->accomplice_fd, "swap\n", 5) != 0) return -1;
  char buf[64];
  size_t len = 0;
  long long deadline = monotonic_ms() + SWAP_TIMEOUT_MS;
  while (len < sizeof buf - 1) {
    long long left = deadline - monotonic_ms();
    struct pollfd p = {.fd = r->accomplice_fd, .events = POLLIN};
    if (left <= 0 || poll(&p, 1, (int)left) <= 0) return -1;
    ssize_t got = read(r->accomplice_fd, buf + len, sizeof buf - 1 - len);
    if (got <= 0) return -1;
    len += (size_t)got;
    buf[len] = 0;
    if (strstr(buf, "done")) return 0;
  }
  return -1;
}

void race_on_syscall(void *ctx, const struct syscall_stop *s) {
  struct race *r = ctx;
  const struct lookup_call *call = lookup_call_of(s->nr);
  if (!call) return;
  struct pending *p = pending_of(r, s->pid);
  if (!p) return;
  if (!s->exit) {
    char shown[128] = "";
    int through = names_jail(r, s, call->path_arg, call->dirfd_arg, shown, sizeof shown) ||
                  (call->second_path_arg >= 0 && names_jail(r, s, call->second_path_arg, -1, NULL, 0));
    p->call = call;
    p->through_jail = through;
    if (!call->sets_root || r->swapped) return;
    if (through && r->nlooked > 0) {
      char earlier[256];
      list_calls(r, earlier, sizeof earlier);
      if (swap_now(r) == 0) {
        r->swapped = 1;
        snprintf(r->note, sizeof r->note, "the jail's path was looked up by %s, then again by %s(); the symlink on it was swapped in between", earlier, call->name);
      } else {
        snprintf(r->note, sizeof r->note, "the jail's path was looked up by %s, then again by %s(), but the accomplice did not swap it in time", earlier, call->name);
      }
    } else if (through) {
      snprintf(r->note, sizeof r->note, "%s() was the first lookup of the jail's path: there was no window to swap it in", call->name);
    } else if (!r->note[0]) {
      snprintf(r->note, sizeof r->note, "%s(\"%s\") did not look the jail's path up again: there was no window to swap it in", call->name, shown);
    }
    return;
  }
  /* At the exit: a lookup that succeeded counts as one (a failed one resolved nothing an attacker could use). */
  if (p->call == call && p->through_jail && !s->is_error && r->nlooked < MAX_LOOKUP_NAMES) {
    int seen = 0;
    for (int i = 0; i < r->nlooked; i++) seen |= strcmp(r->looked_up[i], call->name) == 0;
    if (!seen) r->looked_up[r->nlooked++] = call->name;
  }
  p->pid = 0;
  p->call = NULL;
}

size_t race_calls(long *out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof calls / sizeof calls[0] && n < max; i++) out[n++] = calls[i].nr;
  return n;
}

int race_swapped(const struct race *r) {
  return r->swapped;
}
