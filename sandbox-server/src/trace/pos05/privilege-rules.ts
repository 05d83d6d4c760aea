import type { TraceStep } from '@jaillab/protocol';
import { callText, type RuleChecks, stepName } from './rule-check.js';
import { noCapabilities, ok, requestedIds, SET_GID, SET_UID, type TraceFacts } from './trace-facts.js';

/** Root is given up before the untrusted program starts: in the right order, for good, each step checked. */

const PLACES = new Set(['chroot', 'pivot_root']);
const MOVES = new Set(['chdir', 'fchdir']);

/**
 * Whether a failed call was one the jail needed: its effect was not in place
 * yet. A trace shows what the program called and what the kernel answered,
 * not whether the program looked at the answer, so a failure is held against
 * the program only when the jail is missing what the call was for:
 *
 * - a set*id call, when the id it would move is still 0 and it asks for
 *   another one (after a good drop, setuid(0), setgid(0), seteuid(0) or a
 *   set*id to another user's id can only fail: that is a program proving its
 *   drop is permanent, as OpenSSH's permanently_set_uid() does);
 * - setgroups, while supplementary groups are still held;
 * - chroot or pivot_root, before one has worked (a second chroot(".") after
 *   the jail is built and root is gone can only fail: a proof, not a fault);
 * - chdir or fchdir, before the jail is built and entered (afterwards a
 *   failing chdir is a look outside that found nothing).
 */
/** Calls to the same end: a later one working makes good an earlier one failing. */
function sameEnd(a: string, b: string): boolean {
  const kinds = [PLACES, MOVES, SET_UID, new Set(['setgid', 'setregid', 'setresgid']), new Set(['setgroups'])];
  return kinds.some((k) => k.has(a) && k.has(b));
}

function neededEffect(s: TraceStep, facts: TraceFacts): boolean {
  const earlier = facts.jailer.filter((p) => p.i < s.i && ok(p));
  const creds = facts.credsBefore.get(s.i);
  const ids = requestedIds(s);
  if (s.call === 'setgroups') return !creds || creds.groups.length > 0;
  if (SET_UID.has(s.call)) return ids.some((id) => id !== 0) && (!creds || creds.uid.slice(0, 3).includes(0));
  if (SET_GID.has(s.call)) return ids.some((id) => id !== 0) && (!creds || creds.gid.slice(0, 3).includes(0));
  const placed = earlier.filter((p) => PLACES.has(p.call)).at(-1);
  if (PLACES.has(s.call)) return !placed;
  if (MOVES.has(s.call)) return !placed || !earlier.some((p) => p.i > placed.i && MOVES.has(p.call));
  return false;
}

export const privilegeRules: RuleChecks = {
  'setuid-before-setgid'({ jailer, uidDrop, credsBefore }) {
    if (!uidDrop) return null;
    // A later setgid(0) or setgroups() that fails is the program checking that root is gone for good, not an order
    // mistake; so is a setgid to another id once the gid is no longer 0 (the gid was dropped first).
    const gidStillRoot = (s: TraceStep): boolean => credsBefore.get(s.i)?.gid.slice(0, 3).includes(0) ?? true;
    const g = jailer.find((s) => s.i > uidDrop.i && SET_GID.has(s.call) && (s.call === 'setgroups' ? s.errno === null : requestedIds(s).some((id) => id !== 0) && gidStillRoot(s)));
    if (!g) return null;
    return {
      step: uidDrop.i,
      explanation: `${callText(uidDrop)} (${stepName(uidDrop.i)}) gave root up before ${callText(g)} (${stepName(g.i)})${g.errno ? `, which could then only fail (${g.errno})` : ''}: once the uid is not 0 the groups cannot be changed any more. Set the groups and the gid first, the uid last.`,
    };
  },

  'groups-kept'({ jailer, start, startCreds, uidDrop }) {
    if (!start || !startCreds || startCreds.uid[1] === 0 || !startCreds.groups.length) return null;
    const set = jailer.some((s) => s.i < start.i && s.call === 'setgroups' && ok(s));
    if (set && !startCreds.groups.includes(0)) return null;
    return {
      step: uidDrop?.i ?? start.i,
      explanation: `The jailed program started (${stepName(start.i)}) with the supplementary groups ${startCreds.groups.join(', ')}${set ? '' : ': setgroups() was never called, so it kept the ones root had'}. Call setgroups(0, NULL) before setgid() and setuid().`,
    };
  },

  'not-permanent'({ jailer, start, startCreds, uidDrop }) {
    if (!start || !startCreds || startCreds.uid[1] === 0) return null;
    const [ruid, euid, suid] = startCreds.uid;
    const [rgid, egid, sgid] = startCreds.gid;
    if (ruid === 0 || suid === 0) {
      const which = ruid === 0 && suid === 0 ? 'real and saved uid' : ruid === 0 ? 'real uid' : 'saved uid';
      return {
        step: uidDrop?.i ?? start.i,
        explanation: `The jailed program started (${stepName(start.i)}) with uid ${ruid}/${euid}/${suid} (real/effective/saved): its ${which} is still 0, so setuid(0) would give root back. Drop all three (setuid() as root does, or setresuid(1000, 1000, 1000)), then check that setuid(0) fails.`,
      };
    }
    if (rgid === 0 || egid === 0 || sgid === 0) {
      const g = jailer.filter((s) => s.i < start.i && SET_GID.has(s.call) && s.call !== 'setgroups').at(-1);
      return {
        step: g?.i ?? start.i,
        explanation: `The jailed program started (${stepName(start.i)}) with gid ${rgid}/${egid}/${sgid} (real/effective/saved): a group id of 0 is left, so whatever group root may open stays open to it. setgid(1000) before setuid(), and check it.`,
      };
    }
    return null;
  },

  'unchecked-failure'(facts) {
    const { jailer, start } = facts;
    if (!start) return null;
    const before = jailer.filter((s) => s.i < start.i);
    // A failure the program then made good (a later call to the same end worked: pivot_root, then chroot as a
    // fallback; a second try at the path) was handled.
    const retried = (f: TraceStep): boolean => before.some((s) => s.i > f.i && sameEnd(s.call, f.call) && ok(s));
    const failed = before.find((s) => s.errno !== null && (PLACES.has(s.call) || MOVES.has(s.call) || SET_UID.has(s.call) || SET_GID.has(s.call)) && neededEffect(s, facts) && !retried(s));
    if (!failed) return null;
    return {
      step: failed.i,
      explanation: `${callText(failed)} failed with ${failed.errno} (${stepName(failed.i)}), and the program went on to start the jailed program anyway (${stepName(start.i)}). Check every call's return value and stop when one fails.`,
    };
  },

  'root-at-exec'({ jailer, start, startCreds }) {
    if (!start || !startCreds || startCreds.uid[1] !== 0 || noCapabilities(startCreds.capEff)) return null;
    // Root of a user namespace of its own is an ordinary user outside; a pivot_root() jail changes what root can
    // reach (the "beyond chroot" lessons keep root on purpose): POS05-C's rule is about chroot() jails.
    if (start.after?.ownNamespaces?.includes('user')) return null;
    if (jailer.some((s) => s.i < start.i && s.call === 'pivot_root' && ok(s))) return null;
    return {
      step: start.i,
      explanation: `The jailed program started as root (uid 0) with capabilities (${startCreds.capEff}) in a chroot() jail (${stepName(start.i)}): root can chroot() again, mount, mknod and ptrace its way out. Become an ordinary user (setgroups, setgid, setuid) before execv().`,
    };
  },
};
