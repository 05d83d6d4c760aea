/*
 * The system calls the escape replay records, and how to show each one: the
 * kind of every argument (a path to read from the process, flags to name, an
 * id), and what the agent looks at when the call returns (what an open gave,
 * where root and cwd are now, the credentials, descriptors passed over a
 * socket). The list is the issue's: everything that changes where a process
 * is, what it may do or what it holds — and nothing it calls in loops for
 * other reasons (kill, stat, read), which would only cost stops.
 */
#ifndef JAILLAB_TRACE_CALLS_H
#define JAILLAB_TRACE_CALLS_H

#include <stddef.h>

enum arg_kind {
  K_INT,     /* decimal */
  K_FD,      /* a descriptor */
  K_DIRFD,   /* AT_FDCWD or a descriptor */
  K_PATH,    /* a path string, resolved against the call's dirfd */
  K_STR,     /* another string (a filesystem type, a mount source) */
  K_OFLAGS,  /* O_* */
  K_ATFLAGS, /* AT_* */
  K_MODE,    /* octal */
  K_ID,      /* a uid or gid, -1 meaning "unchanged" */
  K_NSFLAGS, /* CLONE_* */
  K_MSFLAGS, /* MS_* */
  K_MNTFLAGS,
  K_PRCTL,   /* PR_* */
  K_PTRACE,  /* PTRACE_* */
  K_SECCOMP, /* SECCOMP_SET_MODE_* */
  K_DOMAIN,  /* AF_* */
  K_SOCKTYPE,
  K_SOCKADDR, /* a struct sockaddr, its length in the next argument */
  K_MSGHDR,   /* a struct msghdr: its descriptors (SCM_RIGHTS) are noted apart */
  K_ARGV,     /* an argv array */
  K_GROUPS,   /* a gid array, its length in the previous argument */
  K_DEV,      /* major:minor */
  K_CLONE3,   /* struct clone_args: its flags */
  K_OPENHOW,  /* struct open_how: its flags */
  K_HEX,
  K_PTR, /* an address: NULL or not */
};

/* What the agent looks at when the call returned. */
enum {
  P_OPENS = 1 << 0,      /* the result is a descriptor: what it refers to */
  P_WHERE = 1 << 1,      /* root, cwd and directory descriptors afterwards */
  P_CWD = 1 << 2,        /* root and cwd afterwards */
  P_EXEC = 1 << 3,       /* a new program: P_WHERE, credentials, namespaces, what it is */
  P_CREDS = 1 << 4,      /* the credentials afterwards */
  P_SCM_SEND = 1 << 5,   /* descriptors it passes (read at the entry, while they are its own) */
  P_SCM_RECV = 1 << 6,   /* descriptors it received */
  P_PTRACE = 1 << 7,     /* PTRACE_ATTACH/SEIZE: where the process it took hold of is rooted */
  P_FILTER = 1 << 8,     /* may install a seccomp filter of the program's own (see tracer.h) */
};

struct call_desc {
  long nr;
  const char *name;
  unsigned char nargs;
  unsigned char args[6];
  /* The argument that is the path the call looks up, and its dirfd argument (-1: relative to the cwd). */
  signed char path_arg, dirfd_arg;
  unsigned post;
};

/* The description of x86_64 call nr, or NULL when it is not recorded. */
const struct call_desc *trace_call(long nr);

/* Writes the recorded calls' numbers into out (at most max); returns how many. */
size_t trace_call_numbers(long *out, size_t max);

#endif
