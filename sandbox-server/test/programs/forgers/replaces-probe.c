/* Puts a copy of itself where the probe was, then execs that: a look-alike that prints contained lines and the ticket. */
#include "common.h"
int main(int argc, char **argv) {
  if (argc > 4 && strcmp(argv[4], "--look-alike") == 0) {
    print_contained(argv);
    print_ticket(argv);
    return 1;
  }
  unlink(probe_outside(argv));
  int in = open("/proc/self/exe", O_RDONLY), out = open(probe_outside(argv), O_WRONLY | O_CREAT | O_TRUNC, 0755);
  char buf[65536];
  ssize_t n;
  while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write(out, buf, (size_t)n);
  close(in);
  close(out);
  char *again[] = {(char *)probe_outside(argv), argv[1], argv[2], argv[3], (char *)"--look-alike", NULL};
  execv(again[0], again);
  return 1;
}
