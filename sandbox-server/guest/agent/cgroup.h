/*
 * Per-check limits inside the guest, with cgroup v2: memory.max, pids.max and
 * cgroup.kill (which takes a fork bomb down in one write). The program is root
 * in the VM and could leave its cgroup; these limits exist to give a clear
 * reason. The hard limits are the VM's: its RAM, and the host killing QEMU.
 */
#ifndef JAILLAB_CGROUP_H
#define JAILLAB_CGROUP_H

#include <stdint.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

void cgroup_setup(void);
/* Creates (or empties and reuses) CGROUP_ROOT/name with the given limits. */
int cgroup_create(const char *name, uint64_t mem_bytes, uint32_t pids);
/* Moves the calling process into the cgroup (used in the child before exec). */
int cgroup_enter(const char *name);
/* Kills every process of the group (cgroup.kill); 0, or -1 (logged) when the kernel refused. */
int cgroup_kill(const char *name);
/* Whether the group has processes; a group that cannot be read counts as populated (logged). */
int cgroup_populated(const char *name);
/*
 * A userspace OOM decision, like systemd-oomd's: true when the group has hit
 * memory.max and either unreclaimable memory fills it or it has stalled on
 * memory for over a second since *stall_start_us (start it at -1). Without swap
 * the kernel's own OOM killer can let such a group thrash for a long time.
 */
int cgroup_memory_exhausted(const char *name, uint64_t max_bytes, long long *stall_start_us);
/* Reads `key N` from a flat-keyed file such as memory.events; 0 if the key is absent, -1 if the file cannot be read. */
long long cgroup_stat(const char *name, const char *file, const char *key);
void cgroup_remove(const char *name);

#endif
