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
  if (ioctl(master, TIOCSWINSZ, &ws) != 0) die("pty window size: %m");
  /* The agent's loop reads the master until EAGAIN: a blocking master would hang PID 1 on a quiet program. */
  int flags = fcntl(master, F_GETFL);
  if (flags < 0 || fcntl(master, F_SETFL, flags | O_NONBLOCK) != 0) die("pty O_NONBLOCK: %m");
  char name[64];
  if (ptsname_r(master, name, sizeof name) != 0) die("ptsname: %m");
  *slave_out = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*slave_out < 0) die("open %s: %m", name);
  return master;
}

int enter_pty_session(int slave) {
  sigset_t all;
  sigemptyset(&all);
  if (sigprocmask(SIG_SETMASK, &all, NULL) != 0 || signal(SIGPIPE, SIG_DFL) == SIG_ERR) return -1;
  /* A session of its own, with the pty as its terminal: job control and SIGHUP behave as in a real one. */
  if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0) return -1;
  return 0;
}
