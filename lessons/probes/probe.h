/*
 * probe.h: shared by every JailLab probe (see lessons/README.md, "The probe contract").
 *
 * A probe is started by the learner's jail program, inside the jail:
 *     argv[0] = /bin/<probe-id>   argv[1] = a per-check nonce
 * It tries one technique to reach /outside/secret in the VM's real root and
 * prints what happened. Its words are for the learner only: the host decides
 * "escaped" solely by finding the fresh secret in the output (or the nonce in
 * /outside/proof), never by trusting what a probe says about itself.
 */
#ifndef JAILLAB_PROBE_H
#define JAILLAB_PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *probe_name = "probe";
static const char *probe_nonce = "";

/* The host looks for this line to know the probe really started inside the jail. */
#define PROBE_STARTED "jaillab-probe: started"

static void probe_say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("[%s] ", probe_name);
  vprintf(fmt, ap);
  putchar('\n');
  fflush(stdout);
  va_end(ap);
}

/* Prints the start marker and where the probe finds itself. */
static void probe_start(int argc, char **argv, const char *name) {
  probe_name = name;
  if (argc > 1) probe_nonce = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* The raw syscall, not glibc's getcwd(): for a directory outside the process's root the kernel answers
     "(unreachable)/path", which is exactly what a learner should see, and glibc would hide it as ENOENT. */
  char cwd[512];
  long n = syscall(SYS_getcwd, cwd, sizeof cwd);
  if (n < 0) snprintf(cwd, sizeof cwd, "(getcwd failed: %s)", strerror(errno));
  printf("%s %s uid=%d euid=%d gid=%d egid=%d cwd=%s\n", PROBE_STARTED, name, (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid(), cwd);
  fflush(stdout);
}

/* Reports a failed attempt: the call and its errno, by name. */
static void probe_blocked(const char *call, int err) {
  const char *name = strerrorname_np(err);
  probe_say("blocked: %s: %s (%s)", call, strerror(err), name ? name : "?");
}

/*
 * Tries to read a file that may be the outside secret. On success prints
 * "escape: <how> -> <content>" and returns 1; otherwise reports why, returns 0.
 */
static int probe_try_read(const char *how, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    char call[600];
    snprintf(call, sizeof call, "open(\"%s\")", path);
    probe_blocked(call, errno);
    return 0;
  }
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  int err = errno;
  close(fd);
  if (n <= 0) {
    char call[600];
    snprintf(call, sizeof call, "read(\"%s\")", path);
    probe_blocked(call, n < 0 ? err : ENODATA);
    return 0;
  }
  buf[n] = 0;
  buf[strcspn(buf, "\n")] = 0;
  probe_say("escape: %s -> %s", how, buf);
  return 1;
}

/* A write escape: leave the nonce where only an escaped process could. */
static int probe_write_proof(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  int ok = write(fd, probe_nonce, strlen(probe_nonce)) == (ssize_t)strlen(probe_nonce);
  close(fd);
  return ok;
}

#endif
