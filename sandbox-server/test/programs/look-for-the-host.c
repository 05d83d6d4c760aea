/*
 * A jail program that ignores its jail and looks for a way to the host from
 * inside the VM, as root: every file it can read (and the world's raw disk),
 * the network, the VM's devices and mounts. It prints what it finds; the
 * vm-boundary test checks that none of it reaches the host.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char needle[32];
static long files_read, bytes_read, hits;
static char buf[1 << 16];

/* Reads a file (or a device) and reports whether the host canary's prefix is in it. */
static void scan_file(const char *path, long max) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  size_t nlen = strlen(needle), keep = 0;
  long total = 0;
  for (;;) {
    ssize_t n = read(fd, buf + keep, sizeof buf - keep);
    if (n <= 0) break;
    size_t have = keep + (size_t)n;
    if (memmem(buf, have, needle, nlen)) {
      printf("FOUND the host canary prefix in %s\n", path);
      hits++;
      break;
    }
    keep = have < nlen ? have : nlen - 1;
    memmove(buf, buf + have - keep, keep);
    total += n;
    if (total >= max) break;
  }
  close(fd);
  files_read++;
  bytes_read += total;
}

static void walk(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
    /* /proc and /sys are the kernel's views (walked selectively below); /dev is devices. */
    if (!strcmp(path, "/proc") || !strcmp(path, "/sys") || !strcmp(path, "/dev")) continue;
    struct stat st;
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) walk(path);
    else if (S_ISREG(st.st_mode)) scan_file(path, 8 << 20);
  }
  closedir(d);
}

static void list_dir(const char *label, const char *dir) {
  printf("%s:", label);
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.') printf(" %s", e->d_name);
  if (d) closedir(d);
  printf("\n");
}

static void try_connect(const char *ip, int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) {
    printf("connect %s:%d: socket: %s\n", ip, port, strerror(errno));
    return;
  }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  inet_pton(AF_INET, ip, &a.sin_addr);
  int rc = connect(s, (struct sockaddr *)&a, sizeof a);
  printf("connect %s:%d: %s\n", ip, port, rc == 0 ? "CONNECTED" : strerror(errno));
  close(s);
}

int main(void) {
  /* Built backwards at run time, so this binary itself does not hold the prefix it looks for. */
  const char *backwards = "-YRANAC-TSOH";
  size_t n = strlen(backwards);
  for (size_t i = 0; i < n; i++) ((volatile char *)needle)[i] = backwards[n - 1 - i];

  walk("/");
  scan_file("/proc/cmdline", 1 << 20);
  scan_file("/proc/self/environ", 1 << 20);
  scan_file("/proc/self/mountinfo", 1 << 20);
  scan_file("/dev/loop0", 64 << 20); /* the world's whole disk, raw */
  printf("searched %ld files, %ld KiB, hits %ld\n", files_read, bytes_read >> 10, hits);

  list_dir("network interfaces", "/sys/class/net");
  try_connect("10.0.2.2", 22);
  try_connect("1.1.1.1", 53);
  list_dir("block devices", "/sys/block");

  printf("virtio devices:");
  DIR *d = opendir("/sys/bus/virtio/devices");
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[512], id[32] = "";
    snprintf(path, sizeof path, "/sys/bus/virtio/devices/%s/device", e->d_name);
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
      ssize_t k = read(fd, id, sizeof id - 1);
      id[k > 0 ? k - 1 : 0] = 0;
      close(fd);
    }
    printf(" %s", id);
  }
  if (d) closedir(d);
  printf("\n");

  char *mounts = NULL;
  size_t cap = 0;
  FILE *f = fopen("/proc/self/mounts", "r");
  printf("filesystems:");
  while (f && getline(&mounts, &cap, f) > 0) {
    char type[64];
    if (sscanf(mounts, "%*s %*s %63s", type) == 1) printf(" %s", type);
  }
  printf("\n");
  fflush(stdout);
  return 0;
}
