/**
 * The probe being written in this browser's probe editor, kept in
 * localStorage at every edit: a reload, a lost connection or a server restart
 * never loses it. Fields may be half-typed; the server validates a draft
 * when it is tried, kept or fired.
 */
export interface StoredDraft {
  id: string;
  title: string;
  explanation: string;
  source: string;
}

const FIELDS = ['id', 'title', 'explanation', 'source'] as const;

/** A stored value counts only if it still has the draft's shape (a damaged one is no draft). */
function isDraft(v: unknown): v is StoredDraft {
  return typeof v === 'object' && v !== null && FIELDS.every((f) => typeof (v as Record<string, unknown>)[f] === 'string');
}

const KEY = 'jaillab.probe-draft';

export const STARTER_PROBE = `/* A new escape probe: it runs inside the learner's jail, as whatever the jail left it. */
#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "my-probe");
  /* probe_try_read() prints what it read, or reports the attempt as blocked. */
  if (probe_try_read("an absolute path", "/outside/secret")) return PROBE_ESCAPED;
  return PROBE_CONTAINED;
}
`;

export const EMPTY_DRAFT: StoredDraft = { id: 'my-probe', title: '', explanation: '', source: STARTER_PROBE };

export function loadDraft(): StoredDraft | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return null;
    const parsed: unknown = JSON.parse(raw);
    return isDraft(parsed) ? { id: parsed.id, title: parsed.title, explanation: parsed.explanation, source: parsed.source } : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft: StoredDraft): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft lives in the page only (the editor says nothing; nothing else would keep it).
  }
}
