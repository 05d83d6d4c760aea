import { callText, type RuleChecks, stepName } from './rule-check.js';
import { noCapabilities, ok, requestedIds, SET_GID, SET_UID } from './trace-facts.js';

/** Root is given up before the untrusted program starts: in the right order, for good, each step checked. */

const CHECKED = new Set(['chroot', 'chdir', 'fchdir', 'pivot_root', ...SET_UID, ...SET_GID]);

/** A call that gives something up (a set*id to a non-zero id, setgroups, a change of place), not one that tries to get root back. */
function dropsSomething(call: string, ids: number[]): boolean {
  if (call === 'setgroups' || !(SET_UID.has(call) || SET_GID.has(call))) return true;
  return ids.some((id) => id !== 0);
}

export const privilegeRules: RuleChecks = {
  'setuid-before-setgid'({ jailer, uidDrop }) {
    if (!uidDrop) return null;
    // A later setgid(0) or setgroups() that fails is the program checking that root is gone for good, not an order mistake.
    const g = jailer.find((s) => s.i > uidDrop.i && SET_GID.has(s.call) && (s.call === 'setgroups' ? s.errno === null : requestedIds(s).some((id) => id !== 0)));
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

  'unchecked-failure'({ jailer, start }) {
    if (!start) return null;
    const failed = jailer.find((s) => s.i < start.i && CHECKED.has(s.call) && s.errno !== null && dropsSomething(s.call, requestedIds(s)));
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
