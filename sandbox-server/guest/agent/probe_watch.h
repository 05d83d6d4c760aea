/*
 * What the agent saw of a check's probe, from the kernel: which process
 * exec'd the genuine probe (its bytes, hashed where the kernel keeps them
 * from changing while it runs: /proc/<pid>/exe), what the output held before
 * that moment, and how that process ended. A verdict of "contained" or
 * "passed" rests on these facts and never on a line printed by anyone: the
 * learner's program is root in the VM and could print anything.
 *
 * The probe's start has two steps. At the exec the process is kept stopped
 * and every other process of the check is held (tracer.h); once they all are,
 * the runner looks at the world (world_guard.h), the probe's stdout and the
 * accomplices, and only then lets the probe run. From then on nothing but the
 * probe's own processes and the agent's accomplices runs in the VM.
 */
#ifndef JAILLAB_PROBE_WATCH_H
#define JAILLAB_PROBE_WATCH_H

#include <stddef.h>
#include <sys/types.h>

#include "world.h"

enum probe_phase {
  PROBE_NOT_STARTED,
  PROBE_HOLDING, /* exec'd, stopped; the rest of the check being held */
  PROBE_RUNNING,
  PROBE_ENDED,   /* its process ended by itself */
};

struct probe_watch {
  const struct check *c;
  enum probe_phase phase;
  pid_t pid;
  long long hold_deadline_ms;
  int status; /* wait status, once PROBE_ENDED */
  size_t output_at;
  /* A program exec'd under the probe's name that is not the probe: what it was. */
  char impostor[256];
  /* Why the check cannot be judged (set once; the check then ends). */
  char *void_reason;
};

void probe_watch_init(struct probe_watch *w, const struct check *c);
/*
 * A traced process exec'd: 1 when it is the genuine probe's first start (the caller keeps it stopped and holds
 * the rest), 0 otherwise (an impostor is noted).
 */
int probe_watch_exec(struct probe_watch *w, pid_t pid);
/* Sets why the check cannot be judged, unless a reason is set already; takes `reason`. */
void probe_watch_void(struct probe_watch *w, char *reason);
void probe_watch_free(struct probe_watch *w);

#endif
