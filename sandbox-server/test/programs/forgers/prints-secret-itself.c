/* Reads and prints the outside secret itself, then builds a proper jail: its probe is contained, and that is no escape. */
#include "common.h"
int main(int argc, char **argv) {
  (void)argc;
  char buf[128] = "";
  FILE *f = fopen("/outside/secret", "r");
  if (f && fgets(buf, sizeof buf, f)) printf("the program read %s", buf);
  fflush(stdout);
  if (chroot(argv[1]) != 0 || chdir("/") != 0) return 1;
  execv(argv[2], &argv[2]);
  return 1;
}
