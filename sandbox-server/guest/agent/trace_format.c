#define _GNU_SOURCE
#include "trace_format.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "tracer.h"

struct name {
  uint64_t value;
  const char *name;
};

#define N(x) {x, #x}

static const struct name open_flags[] = {
    N(O_CREAT), N(O_EXCL), N(O_NOCTTY), N(O_TRUNC), N(O_APPEND), N(O_NONBLOCK), N(O_DSYNC), {040000, "O_DIRECT"},
    {020000000, "O_TMPFILE"}, N(O_DIRECTORY), N(O_NOFOLLOW), {01000000, "O_NOATIME"}, N(O_CLOEXEC), {010000000, "O_PATH"},
    {04000000, "O_SYNC"}, {0100000, "O_LARGEFILE"},
};
static const struct name ns_flags[] = {
    {0x00000100, "CLONE_VM"}, {0x00000200, "CLONE_FS"}, {0x00000400, "CLONE_FILES"}, {0x00000800, "CLONE_SIGHAND"},
    {0x00001000, "CLONE_PIDFD"}, {0x00002000, "CLONE_PTRACE"}, {0x00004000, "CLONE_VFORK"}, {0x00008000, "CLONE_PARENT"},
    {0x00010000, "CLONE_THREAD"}, {0x00020000, "CLONE_NEWNS"}, {0x00040000, "CLONE_SYSVSEM"}, {0x00080000, "CLONE_SETTLS"},
    {0x00100000, "CLONE_PARENT_SETTID"}, {0x00200000, "CLONE_CHILD_CLEARTID"}, {0x00800000, "CLONE_UNTRACED"},
    {0x01000000, "CLONE_CHILD_SETTID"}, {0x02000000, "CLONE_NEWCGROUP"}, {0x04000000, "CLONE_NEWUTS"}, {0x08000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}, {0x80000000u, "CLONE_IO"},
};
static const struct name ms_flags[] = {
    {1, "MS_RDONLY"}, {2, "MS_NOSUID"}, {4, "MS_NODEV"}, {8, "MS_NOEXEC"}, {16, "MS_SYNCHRONOUS"}, {32, "MS_REMOUNT"},
    {64, "MS_MANDLOCK"}, {128, "MS_DIRSYNC"}, {256, "MS_NOSYMFOLLOW"}, {1024, "MS_NOATIME"}, {2048, "MS_NODIRATIME"},
    {4096, "MS_BIND"}, {8192, "MS_MOVE"}, {16384, "MS_REC"}, {32768, "MS_SILENT"}, {1 << 16, "MS_POSIXACL"},
    {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"}, {1 << 20, "MS_SHARED"},
    {1 << 21, "MS_RELATIME"}, {1 << 24, "MS_STRICTATIME"}, {1 << 25, "MS_LAZYTIME"},
};
static const struct name mnt_flags[] = {{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}};
static const struct name at_flags[] = {{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"}, {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}};
static const struct name prctl_options[] = {
    {1, "PR_SET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"}, {4, "PR_SET_DUMPABLE"}, {7, "PR_GET_KEEPCAPS"}, {8, "PR_SET_KEEPCAPS"},
    {15, "PR_SET_NAME"}, {21, "PR_GET_SECCOMP"}, {22, "PR_SET_SECCOMP"}, {23, "PR_CAPBSET_READ"}, {24, "PR_CAPBSET_DROP"},
    {27, "PR_GET_SECUREBITS"}, {28, "PR_SET_SECUREBITS"}, {36, "PR_SET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"},
    {39, "PR_GET_NO_NEW_PRIVS"}, {47, "PR_CAP_AMBIENT"}, {0x59616d61, "PR_SET_PTRACER"},
};
static const struct name ptrace_requests[] = {
    {0, "PTRACE_TRACEME"}, {1, "PTRACE_PEEKTEXT"}, {2, "PTRACE_PEEKDATA"}, {3, "PTRACE_PEEKUSER"}, {4, "PTRACE_POKETEXT"},
    {5, "PTRACE_POKEDATA"}, {6, "PTRACE_POKEUSER"}, {7, "PTRACE_CONT"}, {8, "PTRACE_KILL"}, {9, "PTRACE_SINGLESTEP"},
    {12, "PTRACE_GETREGS"}, {13, "PTRACE_SETREGS"}, {14, "PTRACE_GETFPREGS"}, {15, "PTRACE_SETFPREGS"}, {16, "PTRACE_ATTACH"},
    {17, "PTRACE_DETACH"}, {24, "PTRACE_SYSCALL"}, {0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"},
    {0x4202, "PTRACE_GETSIGINFO"}, {0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"}, {0x4205, "PTRACE_SETREGSET"},
    {0x4206, "PTRACE_SEIZE"}, {0x4207, "PTRACE_INTERRUPT"}, {0x4208, "PTRACE_LISTEN"},
};
static const struct name seccomp_ops[] = {{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"}, {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}};
static const struct name domains[] = {{AF_UNIX, "AF_UNIX"}, {AF_INET, "AF_INET"}, {AF_INET6, "AF_INET6"}, {16, "AF_NETLINK"}, {17, "AF_PACKET"}};
static const struct name sock_types[] = {{SOCK_STREAM, "SOCK_STREAM"}, {SOCK_DGRAM, "SOCK_DGRAM"}, {SOCK_RAW, "SOCK_RAW"}, {SOCK_SEQPACKET, "SOCK_SEQPACKET"}};
static const char *const cap_names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
    "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
    "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
    "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

#define COUNT(a) (sizeof a / sizeof a[0])

static const char *name_of(const struct name *t, size_t n, uint64_t v) {
  for (size_t i = 0; i < n; i++)
    if (t[i].value == v) return t[i].name;
  return NULL;
}

/* The value's name from table t, or the number itself (in hex for a request code, where hex is how it is known). */
static void name_or_number(char *out, size_t n, const struct name *t, size_t count, uint64_t v, int hex) {
  const char *nm = name_of(t, count, v);
  if (nm) snprintf(out, n, "%s", nm);
  else snprintf(out, n, hex ? "0x%llx" : "%llu", (unsigned long long)v);
}

/* Appends to out (length n) what fits; keeps it NUL-terminated. */
static void append(char *out, size_t n, const char *s) {
  size_t used = strnlen(out, n);
  if (used + 1 < n) snprintf(out + used, n - used, "%s", s);
}

/* "A|B|0x40": the named bits of v, then what is left in hex; `none` when v is 0. */
static void flags(char *out, size_t n, uint64_t v, const struct name *t, size_t tn, const char *none) {
  out[0] = 0;
  if (v == 0 && none) {
    snprintf(out, n, "%s", none);
    return;
  }
  for (size_t i = 0; i < tn; i++) {
    if ((v & t[i].value) != t[i].value || t[i].value == 0) continue;
    if (out[0]) append(out, n, "|");
    append(out, n, t[i].name);
    v &= ~t[i].value;
  }
  if (v) {
    char rest[24];
    snprintf(rest, sizeof rest, "%s0x%llx", out[0] ? "|" : "", (unsigned long long)v);
    append(out, n, rest);
  }
  if (!out[0]) snprintf(out, n, "0");
}

void trace_quote(const char *s, char *out, size_t n) {
  size_t at = 0;
  if (n < 8) {
    if (n) out[0] = 0;
    return;
  }
  out[at++] = '"';
  size_t i = 0;
  for (; s[i] && i < TRACE_STR_CAP && at + 6 < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      out[at++] = '\\';
      out[at++] = (char)c;
    } else if (c < 0x20 || c == 0x7f) {
      at += (size_t)snprintf(out + at, n - at, "\\x%02x", c);
    } else {
      out[at++] = (char)c;
    }
  }
  out[at++] = '"';
  out[at] = 0;
  if (s[i] && at + 4 < n) append(out, n, "…");
}

static void quoted_string(pid_t pid, uint64_t addr, char *out, size_t n) {
  if (!addr) {
    snprintf(out, n, "NULL");
    return;
  }
  char s[TRACE_STR_CAP + 2];
  if (tracee_read_string(pid, addr, s, sizeof s) != 0) {
    snprintf(out, n, "0x%llx", (unsigned long long)addr);
    return;
  }
  trace_quote(s, out, n);
}

static void mode_text(uint64_t v, char *out, size_t n) {
  const char *type = S_ISBLK(v) ? "S_IFBLK|" : S_ISCHR(v) ? "S_IFCHR|" : S_ISFIFO(v) ? "S_IFIFO|" : S_ISSOCK(v) ? "S_IFSOCK|" : S_ISREG(v) && (v & S_IFMT) ? "S_IFREG|" : "";
  snprintf(out, n, "%s0%llo", type, (unsigned long long)(v & 07777));
}

static void sockaddr_text(pid_t pid, uint64_t addr, uint64_t len, char *out, size_t n) {
  struct sockaddr_un un;
  memset(&un, 0, sizeof un);
  size_t want = len < sizeof un ? (size_t)len : sizeof un;
  if (!addr || want < sizeof(sa_family_t) || tracee_read(pid, addr, &un, want) != 0) {
    snprintf(out, n, addr ? "0x%llx" : "NULL", (unsigned long long)addr);
    return;
  }
  if (un.sun_family == AF_UNIX) {
    size_t plen = want - offsetof(struct sockaddr_un, sun_path);
    char name[sizeof un.sun_path + 2], q[TRACE_STR_CAP + 16];
    if (plen > 0 && un.sun_path[0] == 0) {
      /* An abstract name: no file, just a name in the network namespace. */
      name[0] = '@';
      memcpy(name + 1, un.sun_path + 1, plen - 1);
      name[plen] = 0;
    } else {
      memcpy(name, un.sun_path, plen < sizeof un.sun_path ? plen : sizeof un.sun_path - 1);
      name[plen < sizeof un.sun_path ? plen : sizeof un.sun_path - 1] = 0;
    }
    trace_quote(name, q, sizeof q);
    snprintf(out, n, "{AF_UNIX, %s}", q);
  } else if (un.sun_family == AF_INET && want >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in in;
    memcpy(&in, &un, sizeof in);
    char ip[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &in.sin_addr, ip, sizeof ip);
    snprintf(out, n, "{AF_INET, %s:%u}", ip, ntohs(in.sin_port));
  } else {
    const char *d = name_of(domains, COUNT(domains), un.sun_family);
    snprintf(out, n, "{%s}", d ? d : "?");
  }
}

static void argv_text(pid_t pid, uint64_t addr, char *out, size_t n) {
  if (!addr) {
    snprintf(out, n, "NULL");
    return;
  }
  snprintf(out, n, "[");
  for (int i = 0; i < 5; i++) {
    uint64_t p = 0;
    if (tracee_read(pid, addr + 8 * (uint64_t)i, &p, sizeof p) != 0 || !p) break;
    if (i == 4) {
      append(out, n, ", …");
      break;
    }
    char s[72], q[96];
    if (tracee_read_string(pid, p, s, sizeof s) != 0) snprintf(q, sizeof q, "?");
    else trace_quote(s, q, sizeof q);
    if (i) append(out, n, ", ");
    append(out, n, q);
  }
  append(out, n, "]");
}

static void groups_text(pid_t pid, uint64_t count, uint64_t addr, char *out, size_t n) {
  if (!addr || count == 0) {
    snprintf(out, n, addr ? "[]" : "NULL");
    return;
  }
  gid_t g[16];
  size_t take = count < 16 ? (size_t)count : 16;
  if (tracee_read(pid, addr, g, take * sizeof g[0]) != 0) {
    snprintf(out, n, "0x%llx", (unsigned long long)addr);
    return;
  }
  snprintf(out, n, "[");
  for (size_t i = 0; i < take; i++) {
    char one[16];
    snprintf(one, sizeof one, "%s%u", i ? ", " : "", (unsigned)g[i]);
    append(out, n, one);
  }
  append(out, n, count > take ? ", …]" : "]");
}

static void open_flags_text(uint64_t v, char *out, size_t n) {
  const char *acc = (v & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : (v & O_ACCMODE) == O_RDWR ? "O_RDWR" : "O_RDONLY";
  char rest[256];
  flags(rest, sizeof rest, v & ~(uint64_t)O_ACCMODE, open_flags, COUNT(open_flags), NULL);
  snprintf(out, n, strcmp(rest, "0") == 0 ? "%s" : "%s|%s", acc, rest);
}

void trace_format_arg(pid_t pid, const struct call_desc *d, int i, const uint64_t *args, char *out, size_t n) {
  uint64_t v = args[i];
  const char *nm;
  out[0] = 0;
  switch ((enum arg_kind)d->args[i]) {
    case K_INT:
      snprintf(out, n, "%lld", (long long)(int)v);
      break;
    case K_FD:
      snprintf(out, n, "%d", (int)v);
      break;
    case K_DIRFD:
      if ((int)v == AT_FDCWD) snprintf(out, n, "AT_FDCWD");
      else snprintf(out, n, "%d", (int)v);
      break;
    case K_PATH:
    case K_STR:
      quoted_string(pid, v, out, n);
      break;
    case K_OFLAGS:
      open_flags_text(v, out, n);
      break;
    case K_ATFLAGS:
      flags(out, n, v, at_flags, COUNT(at_flags), "0");
      break;
    case K_MODE:
      mode_text(v, out, n);
      break;
    case K_ID:
      if ((uint32_t)v == 0xffffffffu) snprintf(out, n, "-1");
      else snprintf(out, n, "%u", (unsigned)v);
      break;
    case K_NSFLAGS: {
      char f[512];
      /* clone()'s low byte is the signal sent to the parent at exit. */
      int sig = d->nr == 56 ? (int)(v & 0xff) : 0;
      flags(f, sizeof f, d->nr == 56 ? v & ~0xffull : v, ns_flags, COUNT(ns_flags), "0");
      if (sig == 17) snprintf(out, n, "%s%sSIGCHLD", strcmp(f, "0") ? f : "", strcmp(f, "0") ? "|" : "");
      else snprintf(out, n, "%s", f);
      break;
    }
    case K_MSFLAGS:
      flags(out, n, v, ms_flags, COUNT(ms_flags), "0");
      break;
    case K_MNTFLAGS:
      flags(out, n, v, mnt_flags, COUNT(mnt_flags), "0");
      break;
    case K_PRCTL:
      name_or_number(out, n, prctl_options, COUNT(prctl_options), v, 0);
      break;
    case K_PTRACE:
      name_or_number(out, n, ptrace_requests, COUNT(ptrace_requests), v, 1);
      break;
    case K_SECCOMP:
      name_or_number(out, n, seccomp_ops, COUNT(seccomp_ops), v, 0);
      break;
    case K_DOMAIN:
      name_or_number(out, n, domains, COUNT(domains), v, 0);
      break;
    case K_SOCKTYPE: {
      nm = name_of(sock_types, COUNT(sock_types), v & 0xf);
      snprintf(out, n, "%s%s%s", nm ? nm : "?", v & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "", v & SOCK_CLOEXEC ? "|SOCK_CLOEXEC" : "");
      break;
    }
    case K_SOCKADDR:
      sockaddr_text(pid, v, i + 1 < 6 ? args[i + 1] : 0, out, n);
      break;
    case K_MSGHDR:
      snprintf(out, n, v ? "{msg}" : "NULL");
      break;
    case K_ARGV:
      argv_text(pid, v, out, n);
      break;
    case K_GROUPS:
      groups_text(pid, i > 0 ? args[i - 1] : 0, v, out, n);
      break;
    case K_DEV:
      snprintf(out, n, "makedev(%u, %u)", major((dev_t)v), minor((dev_t)v));
      break;
    case K_CLONE3: {
      uint64_t f = 0;
      if (v && tracee_read(pid, v, &f, sizeof f) == 0) {
        char t[512];
        flags(t, sizeof t, f, ns_flags, COUNT(ns_flags), "0");
        snprintf(out, n, "{flags=%s}", t);
      } else {
        snprintf(out, n, "0x%llx", (unsigned long long)v);
      }
      break;
    }
    case K_OPENHOW: {
      uint64_t f = 0;
      if (v && tracee_read(pid, v, &f, sizeof f) == 0) {
        char t[256];
        open_flags_text(f, t, sizeof t);
        snprintf(out, n, "{flags=%s}", t);
      } else {
        snprintf(out, n, "0x%llx", (unsigned long long)v);
      }
      break;
    }
    case K_HEX:
      if (v < 4096) snprintf(out, n, "%llu", (unsigned long long)v);
      else snprintf(out, n, "0x%llx", (unsigned long long)v);
      break;
    case K_PTR:
      snprintf(out, n, v ? "0x%llx" : "NULL", (unsigned long long)v);
      break;
  }
  /* PR_CAPBSET_DROP/READ name the capability. */
  if (d->nr == 157 && i == 1 && (args[0] == 23 || args[0] == 24) && v < COUNT(cap_names)) snprintf(out, n, "%s", cap_names[v]);
  if (d->nr == 157 && i == 1 && args[0] == 22) snprintf(out, n, v == 2 ? "SECCOMP_MODE_FILTER" : v == 1 ? "SECCOMP_MODE_STRICT" : "%llu", (unsigned long long)v);
}

const char *trace_errno_name(int err, char *buf, size_t n) {
  const char *name = strerrorname_np(err);
  if (name) return name;
  snprintf(buf, n, "E%d", err);
  return buf;
}
