/*
 * What was in the jail when the probe started, as the probe sees it (walked
 * through /proc/<probe>/root, so in its mount namespace, with its mounts'
 * flags): a /proc, device nodes, set-user-ID or set-group-ID files, regular
 * files with links outside the jail. POS05-C's checker judges them on the
 * host (a node on a nodev mount is harmless, a set-user-ID file under
 * no_new_privs or on a nosuid mount too); the agent only reports.
 *
 * Cheap by construction: the course's jails hold a few dozen entries; the
 * walk stops at SCAN_MAX_ENTRIES and says so, and does not descend into /proc
 * or /sys mounts.
 */
#ifndef JAILLAB_TRACE_SCAN_H
#define JAILLAB_TRACE_SCAN_H

#include <sys/types.h>

#include "trace_where.h"

#define SCAN_MAX_ITEMS 32
#define SCAN_MAX_ENTRIES 4000

enum jail_item_kind { JAIL_PROC = 1, JAIL_DEVICE = 2, JAIL_SETUID = 3, JAIL_HARDLINK = 4 };
enum { JAIL_NODEV = 1, JAIL_NOSUID = 2, JAIL_IS_SECRET = 4 };

struct jail_item {
  unsigned char kind, flags;
  char path[WHERE_PATH_CAP];
  /* "b 7:0", "mode 4755 uid 0", "2 links, 1 in the jail" */
  char detail[64];
};

struct jail_scan {
  int done;
  struct jail_item items[SCAN_MAX_ITEMS];
  int nitems;
  unsigned entries;
  int truncated;
};

void jail_scan(const struct trace_world *w, pid_t pid, struct jail_scan *out);

#endif
