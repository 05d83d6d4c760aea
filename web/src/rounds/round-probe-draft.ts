/** A student's round probe, kept in this browser at every edit (a reload or a lost connection never loses it). */
export interface RoundProbeDraft {
  title: string;
  source: string;
}

const KEY = 'jaillab.round-probe';

export const ROUND_PROBE_STARTER = `#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "my-probe");
  /* Your way out of their jail. probe_try_read() prints what it read, or reports the attempt as blocked. */
  if (probe_try_read("an absolute path", "/outside/secret")) return PROBE_ESCAPED;
  return PROBE_CONTAINED;
}
`;

export function loadRoundProbe(): RoundProbeDraft {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof v === 'object' && v !== null && typeof (v as RoundProbeDraft).title === 'string' && typeof (v as RoundProbeDraft).source === 'string') return { title: (v as RoundProbeDraft).title, source: (v as RoundProbeDraft).source };
  } catch {
    // a damaged value is no draft
  }
  return { title: '', source: ROUND_PROBE_STARTER };
}

export function saveRoundProbe(d: RoundProbeDraft): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(d));
  } catch {
    // not kept: storage is full or disabled
  }
}
