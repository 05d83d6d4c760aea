/*
 * How the escape replay shows a call's arguments: C-like text a learner can
 * read ("/jail", O_RDONLY|O_CLOEXEC, CLONE_NEWNS|CLONE_NEWNET, AT_FDCWD),
 * strings read from the stopped process with a length cap and escaped, and
 * flags named where the names are cheap to know.
 */
#ifndef JAILLAB_TRACE_FORMAT_H
#define JAILLAB_TRACE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace_calls.h"

/* The longest string argument shown (longer ones end in "…"). */
#define TRACE_STR_CAP 200

/* Formats argument i of call d (raw value v, all raw arguments in args) of process pid into out. */
void trace_format_arg(pid_t pid, const struct call_desc *d, int i, const uint64_t *args, char *out, size_t n);

/* A string as C would write it: quoted, escaped, at most TRACE_STR_CAP bytes of it. */
void trace_quote(const char *s, char *out, size_t n);

/* The errno's symbolic name ("EPERM"), or "E<number>". */
const char *trace_errno_name(int err, char *buf, size_t n);

#endif
