/*
 * Where a traced process is, as paths in the VM's real filesystem: its root,
 * its cwd, its directory descriptors, what an open gave it, each marked inside
 * or outside the jail. Read from /proc/<pid>/{root,cwd,fd} by the agent, which
 * is PID 1 in the VM's own namespaces, so the answer is the kernel's, not the
 * process's idea of it.
 *
 * A readlink of those links gives a path from the top of the process's own
 * mount tree. After pivot_root() in a mount namespace that top is the jail
 * itself, so "/data" there is /jail/data: a path is taken as real only when it
 * names the same file for the agent (same device and inode), else it is tried
 * below the jail, else it is marked foreign (as the process's namespace
 * shows it, not placed in the VM's tree).
 */
#ifndef JAILLAB_TRACE_WHERE_H
#define JAILLAB_TRACE_WHERE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WHERE_PATH_CAP 256
#define SNAPSHOT_MAX_DIRFDS 16

enum {
  W_INSIDE = 1 << 0,     /* in the jail tree */
  W_BELOW_ROOT = 1 << 1, /* below the process's own root (cwd, descriptors) */
  W_FOREIGN = 1 << 2,    /* the path is as another mount namespace shows it */
  W_SECRET = 1 << 3,     /* the outside secret itself, or the disk device it is on */
  W_DIR = 1 << 4,
  W_BLOCKDEV = 1 << 5,
  W_CHARDEV = 1 << 6,
  W_DELETED = 1 << 7,
};

/* What the agent knows of the check's world while tracing it. */
struct trace_world {
  /* The jail tree as a real path (/jail resolved when the program started: the path race makes it a symlink). */
  char jail[WHERE_PATH_CAP];
  dev_t secret_dev;
  ino_t secret_ino;
  int have_secret;
  /* The agent's namespaces (/proc/1/ns/...), to tell a process's own apart. */
  char ns[4][64];
};

struct where {
  uint8_t flags;
  int32_t fd; /* for descriptors; -1 otherwise */
  char path[WHERE_PATH_CAP];
};

struct snapshot {
  struct where root, cwd;
  struct where dirfds[SNAPSHOT_MAX_DIRFDS];
  int ndirfds;
  int have_dirfds, have_creds, have_ns;
  /* "uid=R,E,S,FS;gid=R,E,S,FS;groups=A,B;capprm=HEX;capeff=HEX;capbnd=HEX;nnp=0;seccomp=0" */
  char creds[420];
  /* the namespaces that are the process's own, not the VM's: "mnt,net" ("" for none) */
  char ns[64];
};

enum { SNAP_DIRFDS = 1, SNAP_CREDS = 2, SNAP_NS = 4 };

void trace_world_init(struct trace_world *w, const char *jail_dir, const char *secret_path);

/* Classifies what the /proc magic link `link` refers to; root_path is the process's real root (NULL for the root itself). */
int where_of(const struct trace_world *w, const char *link, const char *root_path, struct where *out);

/* The root and cwd of pid, and whatever else `what` asks for. Returns -1 when the process is gone. */
int snapshot_take(const struct trace_world *w, pid_t pid, int what, struct snapshot *s);

/* The credentials of pid as in struct snapshot's creds ("" when it is gone). */
void trace_creds(pid_t pid, char *out, size_t n);

/* The path argument `path` of pid (relative to dirfd, AT_FDCWD: its cwd) as a real path, textually; 0 or -1. */
int resolve_path_arg(const struct trace_world *w, pid_t pid, int dirfd, const char *path, struct where *out);

/* 1 if path is dir or below it (textually, on "/" boundaries). */
int path_below(const char *path, const char *dir);

#endif
