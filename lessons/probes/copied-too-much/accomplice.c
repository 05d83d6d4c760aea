/* copied-too-much's accomplice: the machine's /etc holds a secret, as a backup job's configuration does. */
#include "probe.h"

int main(void) {
  char secret[64];
  int fd = open("/outside/secret", O_RDONLY);
  ssize_t n = fd >= 0 ? read(fd, secret, sizeof secret - 1) : -1;
  if (n <= 0) return 1;
  secret[n] = 0;
  secret[strcspn(secret, "\n")] = 0;
  FILE *f = fopen("/etc/backup.conf", "w");
  if (!f) return 1;
  fprintf(f, "# nightly backup to the archive host\nuser = backup\npassword = %s\n", secret);
  if (fclose(f) != 0 || chmod("/etc/backup.conf", 0644) != 0) return 1;
  accomplice_ready();
  accomplice_wait();
}
