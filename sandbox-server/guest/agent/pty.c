#define _GNU_SOURCE
#include "pty.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include "util.h"

int open_pty(unsigned short cols, unsigned short rows, int *slave_out) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die("pty: %m");
  struct winsize ws = {.ws_row = rows, .ws_col = cols};
  ioctl(master, TIOCSWINSZ, &ws);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  char name[64];
  if (ptsname_r(master, name, sizeof name) != 0) die("ptsname: %m");
  *slave_out = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*slave_out < 0) die("open %s: %m", name);
  return master;
}

void enter_pty_session(int slave) {
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  signal(SIGPIPE, SIG_DFL);
  setsid();
  ioctl(slave, TIOCSCTTY, 0);
}
