/* setuid-binary: a set-user-ID-root program left in the jail gives root back, and root chroots out. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "setuid-binary");
  if (geteuid() != 0) {
    if (argc > 2 && strcmp(argv[2], "--via-rootsh") == 0) {
      probe_say("blocked: /bin/rootsh ran but did not make us root (nosuid or no_new_privs?)");
      probe_say("contained: the set-user-ID bit did nothing");
      return 1;
    }
    /* /bin/rootsh is set-user-ID root and runs its argument as root: run ourselves through it. */
    char *again[] = {"/bin/rootsh", "/bin/setuid-binary", argc > 1 ? argv[1] : "", "--via-rootsh", NULL};
    execv(again[0], again);
    probe_blocked("execv(\"/bin/rootsh\")", errno);
    probe_say("contained: no set-user-ID program to use");
    return 1;
  }
  probe_say("euid 0%s", argc > 2 ? " (given by the set-user-ID /bin/rootsh)" : " (already root)");
  if (probe_chroot_out("root from a set-user-ID binary, then chroot(\"/bin\") and climb out")) return 0;
  probe_say("contained: root, but chroot() leads nowhere");
  return 1;
}
