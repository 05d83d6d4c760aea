/*
 * The path race, won on cue. A jail program that looks the jail's path up and
 * later changes its root through that path again (chdir(path) ... chroot(path))
 * leaves a window between the two lookups. A real attacker wins it with many
 * tries or a slowed lookup; a check must not depend on luck, so the agent
 * opens the window itself: it traces the program and, at the entry of a
 * chroot() or pivot_root() that goes through the jail's path after an earlier
 * successful lookup of it, tells the probe's accomplice (its fd 4), which
 * swaps the path, and lets the call go on only once the accomplice is done.
 *
 * The moment is the last one before the root is set, not the first after a
 * lookup: with stat(path), chdir(path), chroot(path), a swap after the stat()
 * would send both later calls to the swapped directory, and miss the window
 * between chdir() and chroot() that an attacker would use.
 *
 * A program that looks the path up once (chroot(path) then chdir("/"),
 * chdir(path) then chroot("."), open + fchdir + chroot(".")) has no such
 * moment, and is never swapped.
 */
#ifndef JAILLAB_RACE_H
#define JAILLAB_RACE_H

#include <stddef.h>

#include "tracer.h"

struct race;

/* Watches for the window on `jail` (an absolute path); `accomplice_fd` is the agent's end of the accomplice's fd 4. */
struct race *race_new(const char *jail, int accomplice_fd);
/* The tracer hook. */
void race_on_syscall(void *race, const struct syscall_stop *stop);
/* For the learner: how the window was found and used, or why there was none; NULL if the root never changed. */
const char *race_note(const struct race *r);
void race_free(struct race *r);
/* The x86_64 numbers of the calls the race looks at (for the seccomp filter and the tracer); returns how many. */
size_t race_calls(long *out, size_t max);
/* 1 once the accomplice has swapped the path. */
int race_swapped(const struct race *r);

#endif
