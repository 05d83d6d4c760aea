#define _GNU_SOURCE
#include "world.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void world_reset(void) {
  if (rm_rf(STAGE_DIR) != 0 || mkdir_p(STAGE_DIR, 0700) != 0) die("a fresh %s: %m", STAGE_DIR);
}

/* A sha256 in hex: the only names PRELOAD_DIR holds. */
static int is_hash(const uint8_t *s, uint32_t len) {
  if (len != 64) return 0;
  for (uint32_t i = 0; i < len; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

/* Stages a preloaded binary: a hard link (same disk), so nothing is copied; a copy if linking fails. */
static int stage_preloaded(const struct wire_field *hash, const char *path) {
  if (!hash || !is_hash(hash->data, hash->len)) {
    errno = EINVAL;
    return -1;
  }
  char *from = xasprintf("%s/%.64s", PRELOAD_DIR, (const char *)hash->data);
  unlink(path);
  int rc = link(from, path) == 0 ? 0 : copy_tree(from, path);
  free(from);
  return rc;
}

int world_preload_file(const struct wire_msg *m, char **err) {
  const struct wire_field *name = wire_get(m, T_PATH);
  const struct wire_field *data = wire_get(m, T_DATA);
  if (!name || !data || !is_hash(name->data, name->len)) {
    *err = xasprintf("a preloaded file is named by its sha256");
    return -1;
  }
  char *path = xasprintf("%s/%.64s", PRELOAD_DIR, (const char *)name->data);
  int rc = mkdir_p(PRELOAD_DIR, 0700) == 0 ? write_file(path, data->data, data->len, 0755) : -1;
  if (rc != 0) *err = xasprintf("preloading %s: %s", path, strerror(errno));
  free(path);
  return rc;
}

int world_stage_file(const struct wire_msg *m, char **err) {
  char *rel = wire_get_str(m, T_PATH);
  const struct wire_field *data = wire_get(m, T_DATA);
  uint32_t kind = 0;
  const struct wire_field *k = wire_get(m, T_KIND);
  if (k && k->len == 1) kind = k->data[0];
  uint32_t mode = wire_get_u32(m, T_MODE, 0644) & 07777;
  if (!rel || !safe_relative_path(rel)) {
    *err = xasprintf("refusing to stage a file at an unsafe path");
    free(rel);
    return -1;
  }
  char *path = xasprintf("%s/%s", STAGE_DIR, rel);
  char *slash = strrchr(path, '/');
  *slash = 0;
  int rc = mkdir_p(path, 0755);
  *slash = '/';
  if (rc == 0) {
    if (kind == FILE_KIND_DIR) {
      rc = mkdir(path, mode) == 0 ? 0 : errno == EEXIST ? chmod(path, mode) : -1;
    } else if (kind == FILE_KIND_PRELOADED) {
      rc = stage_preloaded(data, path);
    } else if (kind == FILE_KIND_SYMLINK) {
      char *target = data ? strndup((const char *)data->data, data->len) : xstrdup("");
      rc = symlink(target, path);
      free(target);
    } else {
      rc = write_file(path, data ? data->data : (const uint8_t *)"", data ? data->len : 0, mode);
    }
  }
  if (rc != 0) *err = xasprintf("staging %s: %s", rel, strerror(errno));
  free(path);
  free(rel);
  return rc;
}

static int plant_token(const char *jail_path, const char *token, char **err) {
  char *path = xasprintf("%s%s", JAIL_DIR, jail_path);
  char *slash = strrchr(path, '/');
  *slash = 0;
  int rc = mkdir_p(path, 0755);
  *slash = '/';
  char *line = xasprintf("%s\n", token);
  if (rc == 0) rc = write_file(path, line, strlen(line), 0644);
  if (rc != 0) *err = xasprintf("planting %s: %s", jail_path, strerror(errno));
  free(line);
  free(path);
  return rc;
}

int world_prepare_check(const struct check *c, char **err) {
  /* A previous check ran as root and may have changed anything: rebuild what the verdict relies on. */
  if (rm_rf(JAIL_DIR) != 0 || rm_rf(OUTSIDE_DIR) != 0) {
    *err = xasprintf("cleaning the previous check's world: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  if (stat(STAGE_TREE, &st) == 0) {
    if (copy_tree(STAGE_TREE, JAIL_DIR) != 0) {
      *err = xasprintf("building the jail tree: %s", strerror(errno));
      return -1;
    }
  } else if (mkdir(JAIL_DIR, 0755) != 0) {
    *err = xasprintf("mkdir %s: %s", JAIL_DIR, strerror(errno));
    return -1;
  }
  if (mkdir_p(JAIL_DIR "/bin", 0755) != 0) {
    *err = xasprintf("mkdir %s/bin: %s", JAIL_DIR, strerror(errno));
    return -1;
  }

  char *probe_src = xasprintf("%s/%s", STAGE_DIR, c->probe);
  char *probe_dst = xasprintf("%s/bin/%s", JAIL_DIR, c->probe_name);
  /* Its mode comes with it: the staged probe is 0755. */
  int rc = copy_tree(probe_src, probe_dst);
  if (rc != 0) *err = xasprintf("installing probe %s: %s", c->probe_name, strerror(errno));
  free(probe_src);
  free(probe_dst);
  if (rc != 0) return -1;

  for (int i = 0; i < c->nplants; i++)
    if (plant_token(c->plants[i], c->token ? c->token : "", err) != 0) return -1;

  /* World-readable on purpose: whether the jail hides outside files is the question, not file permissions. */
  if (mkdir(OUTSIDE_DIR, 01777) != 0) {
    *err = xasprintf("mkdir %s: %s", OUTSIDE_DIR, strerror(errno));
    return -1;
  }
  char *line = xasprintf("%s\n", c->secret);
  rc = write_file(SECRET_PATH, line, strlen(line), 0644);
  free(line);
  if (rc != 0) {
    *err = xasprintf("writing the canary: %s", strerror(errno));
    return -1;
  }

  /* A hard link to the staged program, not a copy: nothing to write for every check, and the same pages
   * each time, so TCG reuses what it translated of them. A program that rewrites its own binary only
   * changes its own run's later checks (it is root: it could fake their verdicts anyway). */
  struct stat staged, installed;
  int in_place = stat(STAGE_PROGRAM, &staged) == 0 && lstat(PROGRAM_PATH, &installed) == 0 && staged.st_ino == installed.st_ino &&
                 staged.st_dev == installed.st_dev && (installed.st_mode & 07777) == 0755;
  if (!in_place) {
    unlink(PROGRAM_PATH);
    if (mkdir_p("/usr/local/sbin", 0755) != 0 || (link(STAGE_PROGRAM, PROGRAM_PATH) != 0 && copy_tree(STAGE_PROGRAM, PROGRAM_PATH) != 0) ||
        chmod(PROGRAM_PATH, 0755) != 0) {
      *err = xasprintf("installing the jail program: %s", strerror(errno));
      return -1;
    }
  }
  if (mkdir_p(PROGRAM_CWD, 0700) != 0) {
    *err = xasprintf("mkdir %s: %s", PROGRAM_CWD, strerror(errno));
    return -1;
  }
  /* No sync() here (it costs ~100 ms a check under TCG): a probe that reads the secret off the
   * raw disk (mknod) calls sync() itself first, which works from inside any chroot. */
  return 0;
}

char *world_read_proof(size_t *len) {
  return read_file(PROOF_PATH, MAX_PROOF_BYTES, len);
}

static int take_str(const struct wire_msg *m, uint8_t tag, char **out, const char *name, char **err) {
  *out = wire_get_str(m, tag);
  if (*out) return 0;
  *err = xasprintf("check is missing %s", name);
  return -1;
}

int check_from_msg(const struct wire_msg *m, struct check *c, char **err) {
  memset(c, 0, sizeof *c);
  c->index = wire_get_u32(m, T_INDEX, 0);
  if (take_str(m, T_PROBE, &c->probe, "the probe", err) || take_str(m, T_PROBE_NAME, &c->probe_name, "the probe name", err) ||
      take_str(m, T_SECRET, &c->secret, "the secret", err) || take_str(m, T_NONCE, &c->nonce, "the nonce", err))
    return -1;
  c->token = wire_get_str(m, T_TOKEN);
  c->race = wire_get_str(m, T_RACE);
  if (c->race && strcmp(c->race, "jail-path") != 0) {
    *err = xasprintf("unknown race \"%s\"", c->race);
    return -1;
  }
  if (!safe_relative_path(c->probe) || !safe_relative_path(c->probe_name) || strchr(c->probe_name, '/')) {
    *err = xasprintf("unsafe probe path");
    return -1;
  }
  /* Absent for a shell (nothing is judged there); a check without it cannot start (runner.c). */
  const struct wire_field *sha = wire_get(m, T_PROBE_SHA256);
  if (sha && sha->len != 32 + 8) {
    *err = xasprintf("the probe's sha256 and size are 40 bytes");
    return -1;
  }
  if (sha) {
    memcpy(c->probe_sha256, sha->data, 32);
    memcpy(&c->probe_size, sha->data + 32, 8);
  }
  for (int i = 0; i < m->nfields; i++) {
    const struct wire_field *f = &m->fields[i];
    if (f->tag == T_PLANT) {
      char *s = strndup((const char *)f->data, f->len);
      if (c->nplants == 16 || s[0] != '/' || !safe_relative_path(s + 1)) {
        free(s);
        *err = xasprintf("unsafe or too many plant paths");
        return -1;
      }
      c->plants[c->nplants++] = s;
    } else if (f->tag == T_ACCOMPLICE) {
      /* u8 when | 32 bytes sha256 | staged path */
      char *s = f->len > 33 ? strndup((const char *)f->data + 33, f->len - 33) : NULL;
      if (!s || c->naccomplices == CHECK_MAX_ACCOMPLICES || !safe_relative_path(s) || f->data[0] > ACCOMPLICE_WITH_PROBE) {
        free(s);
        *err = xasprintf("an unsafe accomplice, or too many");
        return -1;
      }
      struct accomplice *a = &c->accomplices[c->naccomplices++];
      a->path = s;
      a->with_probe = f->data[0] == ACCOMPLICE_WITH_PROBE;
      memcpy(a->sha256, f->data + 1, 32);
    } else if (f->tag == T_GROUP) {
      uint32_t gid;
      if (f->len != 4 || c->ngroups == CHECK_MAX_GROUPS) {
        *err = xasprintf("a supplementary group is one u32, at most %d of them", CHECK_MAX_GROUPS);
        return -1;
      }
      memcpy(&gid, f->data, 4);
      c->groups[c->ngroups++] = (gid_t)gid;
    }
  }
  c->wall_ms = wire_get_u32(m, T_WALL_MS, 5000);
  c->mem_bytes = wire_get_u32(m, T_MEM_BYTES, 64u << 20);
  c->pids = wire_get_u32(m, T_PIDS, 64);
  c->output_bytes = wire_get_u32(m, T_OUTPUT_BYTES, 256u << 10);
  c->trace = wire_get_u32(m, T_TRACE, 0) == 1;
  return 0;
}

void check_free(struct check *c) {
  free(c->probe);
  free(c->probe_name);
  free(c->secret);
  free(c->nonce);
  free(c->token);
  free(c->race);
  for (int i = 0; i < c->nplants; i++) free(c->plants[i]);
  for (int i = 0; i < c->naccomplices; i++) free(c->accomplices[i].path);
  memset(c, 0, sizeof *c);
}
