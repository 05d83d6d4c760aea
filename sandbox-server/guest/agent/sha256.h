/*
 * SHA-256 (FIPS 180-4), for telling the genuine probe from a look-alike: the
 * host sends each probe's and accomplice's digest with the check, and the
 * agent hashes what a process really executes (its /proc/<pid>/exe, which
 * the kernel keeps from being written while it runs).
 */
#ifndef JAILLAB_SHA256_H
#define JAILLAB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
  uint32_t h[8];
  uint64_t len;
  uint8_t block[64];
  size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);

/* HMAC-SHA256 (RFC 2104) of the concatenation of parts[0..n). */
struct sha256_part {
  const void *data;
  size_t len;
};
void hmac_sha256(const uint8_t *key, size_t key_len, const struct sha256_part *parts, size_t n, uint8_t out[SHA256_BYTES]);

/* The digest of everything fd holds from offset 0; 0, or -1 with errno. */
int sha256_fd(int fd, uint8_t out[SHA256_BYTES]);

#endif
