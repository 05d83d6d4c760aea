/*
 * The guest's world for one check. Everything lives on the VM's root
 * filesystem, an ext4 image on a loop device, so a probe that makes a device
 * node for that disk really can read the secret off its blocks.
 *
 *   /outside/secret        the canary: a fresh random secret for every check, world-readable
 *   /outside/proof         where a probe that escaped may write its nonce (write escapes)
 *   /jail/                 the lesson's jail tree, rebuilt for every check, probe in /jail/bin/
 *   /usr/local/sbin/jailer the learner's program, run as root with cwd /root:
 *                              jailer /jail /bin/<probe> <nonce>
 *   /run/jaillab/          files staged by the host for this run (outside the jail)
 */
#ifndef JAILLAB_WORLD_H
#define JAILLAB_WORLD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wire.h"

#define STAGE_DIR "/run/jaillab"
/* Binaries preloaded in the template (probes, accomplices), by sha256: outside STAGE_DIR, which every job empties. */
#define PRELOAD_DIR "/var/cache/jaillab"
#define STAGE_TREE STAGE_DIR "/tree"
#define STAGE_PROGRAM STAGE_DIR "/jailer"
#define JAIL_DIR "/jail"
#define OUTSIDE_DIR "/outside"
#define SECRET_PATH OUTSIDE_DIR "/secret"
#define PROOF_PATH OUTSIDE_DIR "/proof"
#define PROGRAM_PATH "/usr/local/sbin/jailer"
#define PROGRAM_CWD "/root"
#define MAX_PROOF_BYTES 4096

/* One check as the host described it in MSG_CHECK. */
#define CHECK_MAX_GROUPS 16
#define CHECK_MAX_ACCOMPLICES 8

struct accomplice {
  char *path; /* staged path, relative to STAGE_DIR */
  uint8_t sha256[32];
  int with_probe; /* started once the probe has (T_ACCOMPLICE: ACCOMPLICE_WITH_PROBE), else before the program */
};

struct check {
  uint32_t index;
  char *probe;      /* staged path, relative to STAGE_DIR */
  char *probe_name; /* file name in /jail/bin */
  /* The probe binary's sha256 and size (T_PROBE_SHA256): what the agent takes for the genuine probe at an exec. */
  uint8_t probe_sha256[32];
  uint64_t probe_size;
  char *secret;
  char *nonce;
  char *token;
  char *plants[16];
  int nplants;
  struct accomplice accomplices[CHECK_MAX_ACCOMPLICES];
  int naccomplices;
  char *race; /* "jail-path", or NULL */
  /* The supplementary groups the jail program starts with (the lesson's world: root from a login shell has group 0). */
  gid_t groups[CHECK_MAX_GROUPS];
  int ngroups;
  uint32_t wall_ms, mem_bytes, pids, output_bytes;
  int trace; /* T_TRACE: record the escape replay (recorder.h) */
};

/* Empties the staging area at the start of a job. */
void world_reset(void);
/* Handles MSG_FILE; on failure returns -1 and sets *err. */
int world_stage_file(const struct wire_msg *m, char **err);
/* Handles MSG_PRELOAD (while the template is made); on failure returns -1 and sets *err. */
int world_preload_file(const struct wire_msg *m, char **err);
/* Fresh jail, fresh canary, planted tokens, the program in place; -1 and *err on failure. */
int world_prepare_check(const struct check *c, char **err);
/* What a probe left in /outside/proof (NULL if nothing). */
char *world_read_proof(size_t *len);

int check_from_msg(const struct wire_msg *m, struct check *c, char **err);
void check_free(struct check *c);

#endif
