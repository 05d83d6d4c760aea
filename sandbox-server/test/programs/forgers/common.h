/* For the forgers: what every one of them needs. argv: jailer <jail> /bin/<probe> <nonce>. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The probe's file as seen from outside the jail: <jail>/bin/<probe>. */
static __attribute__((unused)) const char *probe_outside(char **argv) {
  static char path[512];
  snprintf(path, sizeof path, "%s%s", argv[1], argv[2]);
  return path;
}

/* The probe's id (argv[2] without /bin/). */
static __attribute__((unused)) const char *probe_id(char **argv) {
  const char *slash = strrchr(argv[2], '/');
  return slash ? slash + 1 : argv[2];
}

/* What a contained probe prints, by the lines' look alone. */
static __attribute__((unused)) void print_contained(char **argv) {
  printf("jaillab-probe: started %s uid=0 euid=0 gid=0 egid=0 cwd=/\n", probe_id(argv));
  printf("[%s] blocked: open(\"../outside/secret\"): No such file or directory (ENOENT)\n", probe_id(argv));
  printf("[%s] contained: no relative path reaches the outside\n", probe_id(argv));
  fflush(stdout);
}

/* What the service prints when it did its job, with the real ticket read from outside the jail. */
static __attribute__((unused)) void print_ticket(char **argv) {
  char path[512], buf[256] = "";
  snprintf(path, sizeof path, "%s/data/ticket", argv[1]);
  FILE *f = fopen(path, "r");
  if (f && fgets(buf, sizeof buf, f)) printf("[%s] service: read /data/ticket -> %s", probe_id(argv), buf);
  if (f) fclose(f);
  fflush(stdout);
}
