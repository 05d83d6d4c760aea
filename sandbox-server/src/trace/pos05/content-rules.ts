import type { JailItem } from '@jaillab/protocol';
import { type RuleChecks, type RuleHit, stepName } from './rule-check.js';

/** What the jail held when the probe started (the agent's scan, through the probe's own root and mounts). */

function first(items: readonly JailItem[] | undefined, kind: JailItem['kind'], harmful: (i: JailItem) => boolean, say: (i: JailItem, more: string) => string, at: number | null): RuleHit | null {
  const found = (items ?? []).filter((i) => i.kind === kind && harmful(i));
  if (!found.length) return null;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  return { step: at, explanation: say(found[0]!, more) };
}

export const contentRules: RuleChecks = {
  'proc-in-jail'({ start }, trace) {
    return first(trace.jailAtProbeStart?.items, 'proc', () => true, (i, more) => `${i.path} in the jail was a proc filesystem when the probe started (${stepName(start?.i ?? 0)})${more}: /proc/<pid>/root of any process outside leads to the real root. Leave /proc out of the jail.`, start?.i ?? null);
  },

  'device-in-jail'({ start }, trace) {
    return first(trace.jailAtProbeStart?.items, 'device', (i) => !i.nodev, (i, more) => `${i.path} (${i.detail}) was a device node in the jail when the probe started${more}, on a mount without nodev${i.secret ? ': it is the disk the outside secret is on' : ''}. Remove it, or mount the jail nodev.`, start?.i ?? null);
  },

  'setuid-in-jail'({ start, startCreds }, trace) {
    // no_new_privs makes execve() ignore the set-user-ID bit, as nosuid does.
    if (startCreds?.noNewPrivs) return null;
    return first(trace.jailAtProbeStart?.items, 'setuid', (i) => !i.nosuid, (i, more) => `${i.path} (${i.detail}) was a set-user-ID or set-group-ID program in the jail${more}, on a mount without nosuid and with no_new_privs unset: running it gives its owner's privileges back. Mount the jail nosuid, or set PR_SET_NO_NEW_PRIVS before execv().`, start?.i ?? null);
  },

  'hardlink-in-jail'({ start }, trace) {
    return first(trace.jailAtProbeStart?.items, 'hardlink', () => true, (i, more) => `${i.path} has ${i.detail}${more}: it is a file outside the jail too${i.secret ? ' (the outside secret itself)' : ''}. Before entering the jail, look for regular files whose st_nlink is above 1.`, start?.i ?? null);
  },
};
