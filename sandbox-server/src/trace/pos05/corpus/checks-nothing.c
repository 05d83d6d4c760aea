/* A jail program that checks nothing and drops in the wrong order: setuid() first, so setgid() can only fail. */
#define _GNU_SOURCE
#include <grp.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  if (argc < 3) return 2;
  chroot(argv[1]);
  chdir("/");
  setgroups(0, NULL);
  setuid(1000);
  setgid(1000);
  execv(argv[2], &argv[2]);
  return 1;
}
