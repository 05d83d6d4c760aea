/*
 * The world a probe escapes into, checked when the probe starts. A probe that
 * finds no way out is only "contained" if the way out was there to find: the
 * program (root, outside the jail, before it starts the probe) could delete
 * or rewrite /outside/secret, hide it under a mount, take away its
 * permissions, change a kernel setting a probe relies on, or leave a process
 * of its own running outside the check (a kernel helper it set off). None of
 * that is a jail; each is seen here and makes the check one that cannot be
 * judged.
 *
 * What is recorded when the check's world is ready and compared when the probe
 * starts (with every other process of the check held, so nothing changes
 * after):
 *  - "/", /outside and /outside/secret, looked up as the check sees them: the
 *    same inodes, owners, modes and no ACL; the secret's bytes are this check's;
 *  - the mounts on "/" and on or below /outside in the check's mount table;
 *  - the kernel settings of the baseline (baseline.c: ptrace_scope, protected_*, core_pattern, ...);
 *  - the check's init still at the world's root;
 *  - no user process in the VM but the agent's own and the check's.
 *
 * Mounts and files inside the jail, and anything the program does in
 * namespaces of its own, are the jail's business and not looked at.
 */
#ifndef JAILLAB_WORLD_GUARD_H
#define JAILLAB_WORLD_GUARD_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct world_guard {
  pid_t init;
  struct stat root, outside, secret;
  char *mounts;
};

/* Records the world as the check's init sees it. 0, or -1 with *err. */
int world_guard_record(struct world_guard *g, pid_t init, char **err);
/* NULL when the world is as recorded and holds `secret`; otherwise what changed (free it). */
char *world_guard_verify(const struct world_guard *g, const char *secret);
/* The last pid the kernel handed out in the agent's PID namespace. */
pid_t world_guard_last_pid(void);
/*
 * NULL when every user process of the VM younger than pid `before` (the last pid when the check began: every older
 * one was killed then) is one the tracer knows or one of `mine` (the accomplices); otherwise which one is not (free
 * it). Only the younger ones are read, so a check costs a look at a few processes, not at every kernel thread.
 */
struct tracer;
char *world_guard_strangers(const struct tracer *t, const pid_t *mine, size_t nmine, pid_t before);
void world_guard_free(struct world_guard *g);

#endif
