/*
 * The host <-> guest wire format on the virtio-serial port.
 *
 * frame := u32 length (little endian, counts type + body) | u8 type | body
 * body  := field*           field := u8 tag | u32 length | bytes
 *
 * Fields are tagged so either side can add fields (a tracer, say) without
 * breaking the other.
 *
 * Once a job has begun, every frame the agent sends ends with T_MAC:
 * HMAC-SHA256(key, seq | type | body before the MAC), seq counting the job's
 * frames from 0 (u64 little endian). The key comes from the host in MSG_JOB,
 * before any learner code runs, and lives only in the agent's memory, out of
 * the checks' reach (check_ns.h): a program that reopened the port inside the
 * guest could write frames, but never ones the host accepts. sandbox-server/src/vm/agent-wire.ts is the host side;
 * a unit test checks that the numbers below match it.
 */
#ifndef JAILLAB_WIRE_H
#define JAILLAB_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAX_FRAME (32u << 20)

/* host -> guest */
#define MSG_JOB 0x01        /* T_TIME_NS, T_ENTROPY: start of a run */
#define MSG_FILE 0x02       /* T_PATH, T_KIND, T_MODE, T_DATA: stage a file below /run/jaillab */
#define MSG_CHECK 0x03      /* run one check; see T_* below */
#define MSG_SHELL 0x04      /* as MSG_CHECK (every probe as T_PROBE/T_PROBE_NAME pairs) + T_COLS, T_ROWS: start the interactive shell */
#define MSG_SHELL_INPUT 0x05  /* T_DATA: keystrokes for the shell's pty */
#define MSG_SHELL_RESIZE 0x06 /* T_COLS, T_ROWS */
#define MSG_SYNC 0x07       /* answered with MSG_SYNCED once everything sent before it is done (staging) */
#define MSG_PRELOAD 0x08    /* T_PATH (a sha256, hex), T_DATA: a binary every run may use, kept in the template (template only) */
#define MSG_SEAL 0x09       /* the template is complete: the baseline is recorded again (with the preloaded files); MSG_SYNCED */

/* guest -> host */
#define MSG_READY 0x81      /* T_VERSION: agent is up and waiting */
#define MSG_OUTPUT 0x82     /* T_INDEX, T_DATA: bytes the check printed */
#define MSG_CHECK_DONE 0x83 /* T_INDEX, T_EXIT_CODE, T_SIGNAL, T_LIMIT, T_WALL_MS, T_PROOF, T_DETAIL, T_*_US phases */
#define MSG_ERROR 0x84      /* T_MESSAGE: the job could not go on */
#define MSG_JOB_READY 0x85  /* the job header was applied (clock set, entropy mixed in) */
#define MSG_SHELL_OUTPUT 0x86 /* T_DATA: what the shell's pty printed */
#define MSG_SHELL_EXIT 0x87   /* T_EXIT_CODE, T_SIGNAL, T_DETAIL: the shell ended (or could not start) */
#define MSG_SYNCED 0x88       /* the answer to MSG_SYNC */
#define MSG_TRACE_STEP 0x89   /* T_INDEX, T_STEP_*, T_W_*: one step of a check's escape replay (recorder.h) */
#define MSG_TRACE_INFO 0x8a   /* T_INDEX, T_TRACE_*, T_JAIL_*, the program's start (T_W_ROOT...): a traced check's replay ends (before CHECK_DONE) */

/* field tags */
#define T_TIME_NS 1     /* u64 host wall clock, ns since the epoch */
#define T_ENTROPY 2     /* bytes from the host's CSPRNG: every clone starts with the same RNG state */
#define T_PATH 3        /* string */
#define T_KIND 4        /* u8: FILE_KIND_* */
#define T_MODE 5        /* u32 */
#define T_DATA 6        /* bytes */
#define T_INDEX 7       /* u32 check index */
#define T_PROBE 8       /* string: staged path of the probe binary */
#define T_PROBE_NAME 9  /* string: the probe's file name in the jail's /bin */
#define T_SECRET 10     /* string: written to /outside/secret */
#define T_NONCE 11      /* string: argv[1] of the probe; proof of a write escape */
#define T_PLANT 12      /* string, repeatable: a path in the jail that gets T_TOKEN */
#define T_TOKEN 13      /* string */
#define T_WALL_MS 14    /* u32 */
#define T_MEM_BYTES 15  /* u32 */
#define T_PIDS 16       /* u32 */
#define T_OUTPUT_BYTES 17 /* u32 */
#define T_ACCOMPLICE 18 /* repeatable: u8 ACCOMPLICE_* | sha256 (32) | staged path: a helper started outside the jail */
#define T_EXIT_CODE 19  /* i32, -1 when killed by a signal */
#define T_SIGNAL 20     /* u32, 0 when it exited */
#define T_LIMIT 21      /* u8: LIMIT_* */
#define T_PROOF 22      /* bytes: what /outside/proof held after the check */
#define T_DETAIL 23     /* string: agent notes for the host's log */
#define T_MESSAGE 24    /* string */
#define T_VERSION 25    /* string */
#define T_COLS 26       /* u32: terminal columns */
#define T_ROWS 27       /* u32: terminal rows */
/* A check's phases as the agent timed them, in microseconds (CHECK_DONE): */
#define T_PREPARE_US 28      /* strays killed, baseline restored, fresh jail, canary and program in place */
#define T_ACCOMPLICES_US 29  /* accomplices started until each said ready */
#define T_PROBE_STARTED_US 30 /* jail program started -> the probe's start line seen (absent: never) */
#define T_KILL_US 31         /* jail program started -> a limit's kill (absent: no kill) */
#define T_DRAIN_US 32        /* the program's processes gone -> last output sent, group killed, CHECK_DONE */
#define T_RACE 33       /* string (CHECK): a race the probe's accomplice wins on cue, "jail-path" (race.h) */
#define T_RACE_NOTE 34  /* string (CHECK_DONE): how the race's window was found and used, or why there was none */
#define T_TRACE_STOPS 35 /* u32 (CHECK_DONE): ptrace stops while the check was traced */
#define T_STRAYS_US 36   /* the parts of T_PREPARE_US: processes left by the previous check killed, */
#define T_BASELINE_US 37 /*   mounts and files put back to the baseline, */
#define T_WORLD_US 38    /*   the jail, canary, probe and program in place and the cgroup made */
#define T_GROUP 39      /* u32, repeatable (CHECK, SHELL): a supplementary group the jail program (or the shell) starts with */
/* What the agent saw of the probe (40-47). */
#define T_PROBE_SHA256 40  /* bytes (CHECK): the probe binary's sha256 (32) | its size (u64): the genuine probe, at an exec */
#define T_PROBE_EXIT 41    /* i32 exit code | u32 signal (CHECK_DONE): how the probe's process ended by itself (absent: it did not) */
#define T_PROBE_OUTPUT_AT 42 /* u32 (CHECK_DONE): bytes of output sent before the probe started (after: the probe's own) */
#define T_IMPOSTOR 43      /* string (CHECK_DONE): a program the jail program exec'd under the probe's name that was not the probe */
#define T_VOID 44          /* string (CHECK_DONE): why the check cannot be judged (what the program did to the probe or its world) */
#define T_HELD 45          /* u32 (CHECK_DONE): the check's other processes the agent held while the probe ran */
#define T_MAC 46           /* 32 bytes, the last field of every frame from the agent once a job began (see wire_sign) */
#define T_KEY 47           /* 32 bytes (JOB): the key the agent signs this job's frames with */
/* More of a check's phases (CHECK_DONE), microseconds: */
#define T_NAMESPACES_US 74     /* the check's namespaces and init made */
#define T_PROGRAM_EXEC_US 75   /* jail program started -> the agent's exec of it done */
#define T_PROBE_RELEASED_US 76 /* the probe's exec -> let run (the rest held, the world looked at, accomplices ready) */
/* The escape replay. A "where" is u8 W_* flags | i32 fd (-1: none) | path (trace_where.h). */
#define T_TRACE 48         /* u32 (CHECK): 1 = record the escape replay of this check */
#define T_STEP_PID 49      /* u32 */
#define T_STEP_PROC 50     /* u8: PROC_* (recorder.h), who made the call */
#define T_STEP_CALL 51     /* string: the call's name */
#define T_STEP_ARG 52      /* string, repeatable: its arguments as C would write them */
#define T_STEP_RESULT 53   /* i64: the return value (absent: the process never returned from it) */
#define T_STEP_ERRNO 54    /* string: the errno's name, when it failed */
#define T_W_PATH 55        /* where: the path argument, resolved */
#define T_W_OPENED 56      /* where: what a descriptor the call returned refers to */
#define T_W_PASSED 57      /* where, repeatable: a descriptor passed over a socket (SCM_RIGHTS) */
#define T_W_ROOT 58        /* where: the root afterwards */
#define T_W_CWD 59         /* where: the cwd afterwards */
#define T_W_DIRFD 60       /* where, repeatable: a directory descriptor held afterwards */
#define T_W_TARGET 61      /* where: ptrace: the root of the process attached to */
#define T_STEP_CREDS 62    /* string: credentials afterwards (trace_where.h) */
#define T_STEP_NS 63       /* string: the namespaces that are the process's own afterwards */
#define T_STEP_BECAME 64   /* u8: PROC_*: after a successful execve, what the process is now */
#define T_STEP_EXE 65      /* string: after a successful execve, its program */
#define T_STEP_NOTE 66     /* string: a step the agent adds (the race's swap) */
#define T_TRACE_JAIL 67    /* string (TRACE_INFO): the jail tree's real path */
#define T_TRACE_STEPS 68   /* u32: steps recorded whole, before the first one left out */
#define T_TRACE_DROPPED 69 /* u32: steps not recorded beyond the cap */
#define T_TRACE_NOTE 70    /* string, repeatable: something the learner should know about this trace */
#define T_JAIL_ITEM 71     /* repeatable: u8 kind | u8 flags | path NUL detail (trace_scan.h) */
#define T_JAIL_SCANNED 72  /* u32: entries the jail scan at the probe's start looked at (absent: the probe never started) */
#define T_STEP_DIRFDS 73   /* u32: directory descriptors were looked at: how many (the first ones are T_W_DIRFD fields) */

#define FILE_KIND_FILE 0
#define FILE_KIND_DIR 1
#define FILE_KIND_SYMLINK 2
#define FILE_KIND_PRELOADED 3 /* T_DATA is the sha256 of a file preloaded in the template: stage that one */

#define ACCOMPLICE_BEFORE_PROGRAM 0 /* it prepares the world the program jails the probe in (accomplices.h) */
#define ACCOMPLICE_WITH_PROBE 1     /* the probe finds it by pid: started with the probe, the program held */

#define LIMIT_NONE 0
#define LIMIT_TIME 1
#define LIMIT_MEMORY 2
#define LIMIT_PROCESSES 3
#define LIMIT_OUTPUT 4

/* A decoded frame: fields point into the frame's buffer. */
#define WIRE_MAX_FIELDS 64
struct wire_field {
  uint8_t tag;
  uint32_t len;
  const uint8_t *data;
};
struct wire_msg {
  uint8_t type;
  int nfields;
  struct wire_field fields[WIRE_MAX_FIELDS];
};

/* Outgoing frames are built in a growable buffer, then written in one go. */
struct wire_out {
  uint8_t *buf;
  size_t len, cap;
};

void wire_begin(struct wire_out *o, uint8_t type);
void wire_put(struct wire_out *o, uint8_t tag, const void *data, uint32_t len);
void wire_put_u32(struct wire_out *o, uint8_t tag, uint32_t v);
void wire_put_str(struct wire_out *o, uint8_t tag, const char *s);
/* Writes the frame to fd (all of it, retrying on EINTR/EAGAIN), signed once a key is set; returns 0 or -1. */
int wire_send(int fd, struct wire_out *o);
/* Sends frames built elsewhere and queued back to back (each with its length prefix set), signed in that order. */
int wire_send_batch(int fd, const uint8_t *frames, size_t len);
/* Signs every frame sent from now on with key (32 bytes), counting from seq 0. */
void wire_sign(const uint8_t *key);
/* Forgets the key (in a process forked from the agent that a check's program can read). */
void wire_forget_key(void);

/* Parses body into msg; returns 0, or -1 if the body is malformed. */
int wire_parse(uint8_t type, const uint8_t *body, uint32_t len, struct wire_msg *msg);
const struct wire_field *wire_get(const struct wire_msg *m, uint8_t tag);
/* Copies a string field into a fresh NUL-terminated buffer; NULL if absent. */
char *wire_get_str(const struct wire_msg *m, uint8_t tag);
uint32_t wire_get_u32(const struct wire_msg *m, uint8_t tag, uint32_t fallback);
uint64_t wire_get_u64(const struct wire_msg *m, uint8_t tag, uint64_t fallback);

/*
 * Incoming frames: bytes from the port are appended to a buffer and whole frames
 * are taken from its front. The runner reads the port while a check runs (so a
 * future interactive shell can take input), hence the split between filling and
 * taking.
 */
struct wire_in {
  uint8_t *buf;
  size_t len, cap;
  size_t peeked; /* size of the frame wire_peek returned, consumed by wire_consume */
};
/* Reads what is available from fd into the buffer. Returns bytes read, 0 on EOF/no data, -1 on error. */
long wire_fill(struct wire_in *in, int fd);
/* If a whole frame is buffered, parses it into msg and returns 1 (msg valid until the next wire_consume). */
int wire_peek(struct wire_in *in, struct wire_msg *msg);
void wire_consume(struct wire_in *in);

#endif
