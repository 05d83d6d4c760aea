import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeHelpers } from './probe-helpers.js';

describe('probe.h helpers for the probe editor', () => {
  it('reads each helper with the comment above it', () => {
    const header = `
/* Reports a failed attempt: the call and its errno, by name. */
static __attribute__((unused)) void probe_blocked(const char *call, int err) {
  x();
}

/*
 * Tries to read a file.
 * Returns 1 on success.
 */
static __attribute__((unused)) int probe_try_read(const char *how,
                                                  const char *path) {
}
static __attribute__((unused)) const char *probe_name = "probe";
static __attribute__((unused)) int undocumented(void) {
}
`;
    expect(probeHelpers(header)).toEqual([
      { name: 'probe_blocked', signature: 'void probe_blocked(const char *call, int err)', doc: 'Reports a failed attempt: the call and its errno, by name.' },
      { name: 'probe_try_read', signature: 'int probe_try_read(const char *how, const char *path)', doc: 'Tries to read a file. Returns 1 on success.' },
      { name: 'undocumented', signature: 'int undocumented(void)', doc: '' },
    ]);
  });

  it('documents the helpers every escape probe of the library uses', () => {
    const names = probeHelpers(readFileSync(new URL('../../../lessons/probes/probe.h', import.meta.url), 'utf8')).map((h) => h.name);
    for (const used of ['probe_start', 'probe_say', 'probe_try_read', 'probe_try_read_fd', 'probe_blocked', 'probe_chroot_out']) expect(names).toContain(used);
  });
});
