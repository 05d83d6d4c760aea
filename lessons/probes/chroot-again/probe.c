/* chroot-again: root inside a chroot can chroot again and climb out with "..". */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "chroot-again");
  if (probe_chroot_out("chroot(\"/bin\"), chdir(\"..\") x64, chroot(\".\")")) return 0;
  probe_say("contained: a second chroot() does not lead outside");
  return 1;
}
