#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "util.h"

static void out_reserve(struct wire_out *o, size_t extra) {
  if (o->len + extra <= o->cap) return;
  size_t cap = o->cap ? o->cap : 4096;
  while (cap < o->len + extra) cap *= 2;
  o->buf = xrealloc(o->buf, cap);
  o->cap = cap;
}

static void put_le32(uint8_t *p, uint32_t v) {
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static uint32_t get_le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void wire_begin(struct wire_out *o, uint8_t type) {
  o->len = 0;
  out_reserve(o, 5);
  o->buf[4] = type;
  o->len = 5;
}

void wire_put(struct wire_out *o, uint8_t tag, const void *data, uint32_t len) {
  out_reserve(o, 5 + (size_t)len);
  o->buf[o->len] = tag;
  put_le32(o->buf + o->len + 1, len);
  if (len) memcpy(o->buf + o->len + 5, data, len);
  o->len += 5 + (size_t)len;
}

void wire_put_u32(struct wire_out *o, uint8_t tag, uint32_t v) {
  uint8_t b[4];
  put_le32(b, v);
  wire_put(o, tag, b, 4);
}

void wire_put_str(struct wire_out *o, uint8_t tag, const char *s) {
  wire_put(o, tag, s, (uint32_t)strlen(s));
}

static uint8_t sign_key[32];
static int signing;
static uint64_t sign_seq;

void wire_sign(const uint8_t *key) {
  memcpy(sign_key, key, sizeof sign_key);
  signing = 1;
  sign_seq = 0;
}

void wire_forget_key(void) {
  explicit_bzero(sign_key, sizeof sign_key);
  signing = 0;
}

/* Appends the MAC (when signing) and sets the length: the frame is ready to go out, next in the stream. */
static void seal(struct wire_out *o) {
  if (signing) {
    uint8_t seq[8], mac[SHA256_BYTES];
    for (int i = 0; i < 8; i++) seq[i] = (uint8_t)(sign_seq >> (8 * i));
    sign_seq++;
    const struct sha256_part parts[] = {{seq, sizeof seq}, {o->buf + 4, o->len - 4}};
    hmac_sha256(sign_key, sizeof sign_key, parts, 2, mac);
    wire_put(o, T_MAC, mac, sizeof mac);
  }
  put_le32(o->buf, (uint32_t)(o->len - 4));
}

int wire_send(int fd, struct wire_out *o) {
  seal(o);
  return write_all(fd, o->buf, o->len);
}

int wire_send_batch(int fd, const uint8_t *frames, size_t len) {
  static struct wire_out all, one;
  all.len = 0;
  for (size_t at = 0; at + 5 <= len;) {
    size_t flen = 4 + (size_t)get_le32(frames + at);
    if (flen > len - at) return -1;
    one.len = 0;
    out_reserve(&one, flen);
    memcpy(one.buf, frames + at, flen);
    one.len = flen;
    seal(&one);
    out_reserve(&all, one.len);
    memcpy(all.buf + all.len, one.buf, one.len);
    all.len += one.len;
    at += flen;
  }
  return write_all(fd, all.buf, all.len);
}

int wire_parse(uint8_t type, const uint8_t *body, uint32_t len, struct wire_msg *msg) {
  msg->type = type;
  msg->nfields = 0;
  uint32_t at = 0;
  while (at < len) {
    if (len - at < 5 || msg->nfields >= WIRE_MAX_FIELDS) return -1;
    uint32_t flen = get_le32(body + at + 1);
    if (flen > len - at - 5) return -1;
    struct wire_field *f = &msg->fields[msg->nfields++];
    f->tag = body[at];
    f->len = flen;
    f->data = body + at + 5;
    at += 5 + flen;
  }
  return 0;
}

const struct wire_field *wire_get(const struct wire_msg *m, uint8_t tag) {
  for (int i = 0; i < m->nfields; i++)
    if (m->fields[i].tag == tag) return &m->fields[i];
  return NULL;
}

char *wire_get_str(const struct wire_msg *m, uint8_t tag) {
  const struct wire_field *f = wire_get(m, tag);
  if (!f) return NULL;
  char *s = xmalloc(f->len + 1);
  memcpy(s, f->data, f->len);
  s[f->len] = 0;
  /* A NUL inside a path or secret would silently truncate it: refuse instead. */
  if (strlen(s) != f->len) {
    free(s);
    return NULL;
  }
  return s;
}

uint32_t wire_get_u32(const struct wire_msg *m, uint8_t tag, uint32_t fallback) {
  const struct wire_field *f = wire_get(m, tag);
  if (!f || f->len != 4) return fallback;
  return get_le32(f->data);
}

uint64_t wire_get_u64(const struct wire_msg *m, uint8_t tag, uint64_t fallback) {
  const struct wire_field *f = wire_get(m, tag);
  if (!f || f->len != 8) return fallback;
  return (uint64_t)get_le32(f->data) | ((uint64_t)get_le32(f->data + 4) << 32);
}

long wire_fill(struct wire_in *in, int fd) {
  if (in->cap - in->len < 65536) {
    size_t cap = in->cap ? in->cap * 2 : 131072;
    in->buf = xrealloc(in->buf, cap);
    in->cap = cap;
  }
  for (;;) {
    ssize_t n = read(fd, in->buf + in->len, in->cap - in->len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n < 0) return -1;
    in->len += (size_t)n;
    return n;
  }
}

int wire_peek(struct wire_in *in, struct wire_msg *msg) {
  if (in->len < 5) return 0;
  uint32_t flen = get_le32(in->buf);
  if (flen < 1 || flen > WIRE_MAX_FRAME) die("wire: bad frame length %u", flen);
  if (in->len < 4 + (size_t)flen) {
    /* Make room for the rest of a big frame (a binary being staged). */
    if (in->cap < 4 + (size_t)flen) {
      in->buf = xrealloc(in->buf, 4 + (size_t)flen + 65536);
      in->cap = 4 + (size_t)flen + 65536;
    }
    return 0;
  }
  if (wire_parse(in->buf[4], in->buf + 5, flen - 1, msg) != 0) die("wire: malformed frame of type %u", in->buf[4]);
  in->peeked = 4 + (size_t)flen;
  return 1;
}

void wire_consume(struct wire_in *in) {
  memmove(in->buf, in->buf + in->peeked, in->len - in->peeked);
  in->len -= in->peeked;
  in->peeked = 0;
}
