/* root-comes-back: privileges that were dropped in the wrong order, or not for good. */
#include "probe.h"

static int group_root(void) {
  gid_t r, e, s;
  if (getresgid(&r, &e, &s) == 0 && (r == 0 || e == 0 || s == 0)) return 1;
  gid_t groups[256];
  int n = getgroups(256, groups);
  for (int i = 0; i < n; i++)
    if (groups[i] == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  probe_start(argc, argv, "root-comes-back");
  uid_t r, e, s;
  getresuid(&r, &e, &s);
  if (r == 0 || e == 0 || s == 0) {
    /* A saved or real uid of 0 means the drop was not permanent: take root back. */
    if (setresuid(0, 0, 0) != 0) probe_blocked("setresuid(0, 0, 0)", errno);
    else {
      probe_say("root is back: uid %d/%d/%d -> 0", (int)r, (int)e, (int)s);
      if (probe_chroot_out("root regained, then chroot(\"/bin\") and climb out")) return 0;
    }
  } else {
    probe_say("blocked: no uid of 0 left (uid %d/%d/%d)", (int)r, (int)e, (int)s);
  }
  if (group_root()) {
    /* Group root kept (setuid() before setgid(), or supplementary groups never cleared): an admin socket for
     * group root in the jail hands out a descriptor of the real root. */
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, "/run/admin.sock");
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(sock, (struct sockaddr *)&a, sizeof a) != 0) probe_blocked("connect(\"/run/admin.sock\")", errno);
    else {
      int fd = probe_receive_fd(sock);
      if (fd >= 0 && fchdir(fd) == 0 && probe_try_relative("group root kept, admin socket sent a descriptor of /")) return 0;
    }
  } else {
    probe_say("blocked: no group 0 left, the admin socket (group root only) is out of reach");
  }
  probe_say("contained: privileges were dropped for good");
  return 1;
}
