/*
 * seal-ram: the template's RAM, in a memfd that no VM can write.
 *
 * Every clone maps the template's RAM copy-on-write. QEMU 7.2 opens its RAM
 * file read-write even for a private mapping, so a plain file would have to
 * be writable by every VM's QEMU, and one QEMU broken by its guest could
 * rewrite the RAM every later VM starts from. A memfd sealed against writes,
 * growing and shrinking can still be opened read-write and mapped privately
 * (copy-on-write), but the kernel refuses write(), fallocate() and shared
 * writable mappings of it for everyone, for good: F_SEAL_SEAL makes the seals
 * themselves final.
 *
 * Usage: seal-ram <file>. Copies the file into a new memfd (zero pages stay
 * holes, so they cost nothing), seals it, prints "<fd>\n" and waits until its
 * stdin closes: meanwhile the server opens /proc/<pid>/fd/<fd> and keeps the
 * memfd alive on its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#define CHUNK (1 << 20)
#define PAGE 4096

static void die(const char *what) {
  fprintf(stderr, "seal-ram: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int all_zero(const unsigned char *p, size_t n) {
  static const unsigned char zero[PAGE];
  return memcmp(p, zero, n) == 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: seal-ram <file>\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int in = open(argv[1], O_RDONLY | O_CLOEXEC);
  if (in < 0) die(argv[1]);
  struct stat st;
  if (fstat(in, &st) != 0) die("fstat");
  int mem = memfd_create("jaillab-template-ram", MFD_ALLOW_SEALING);
  if (mem < 0) die("memfd_create");
  if (ftruncate(mem, st.st_size) != 0) die("ftruncate");
  static unsigned char buf[CHUNK];
  off_t at = 0;
  for (;;) {
    ssize_t n = read(in, buf, CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("read");
    if (n == 0) break;
    for (ssize_t off = 0; off < n; off += PAGE) {
      size_t len = (size_t)(n - off) < PAGE ? (size_t)(n - off) : PAGE;
      if (all_zero(buf + off, len)) continue;
      if (pwrite(mem, buf + off, len, at + off) != (ssize_t)len) die("pwrite");
    }
    at += n;
  }
  if (at != st.st_size) {
    fprintf(stderr, "seal-ram: %s changed while it was read\n", argv[1]);
    return 1;
  }
  close(in);
  if (fcntl(mem, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) die("F_ADD_SEALS");
  printf("%d\n", mem);
  fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {
  }
  return 0;
}
