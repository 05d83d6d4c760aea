import { callText, type RuleChecks, stepName } from './rule-check.js';
import { ok, unquote } from './trace-facts.js';

/** Where the untrusted program starts: its cwd below its root, the path looked up once, no way back out through a descriptor. */

const SETS_ROOT = new Set(['chroot', 'pivot_root']);

/** A path argument that is looked up by name (not "." or "./": the directory the process is already in). */
function namesADirectory(raw: string | null): boolean {
  if (raw === null) return false;
  return raw.split('/').some((part) => part !== '' && part !== '.');
}

export const placeRules: RuleChecks = {
  'chroot-without-chdir'({ jailer, start }) {
    const cwd = start?.after?.cwd;
    const root = start?.after?.root;
    if (!start || !cwd || !root || cwd.belowRoot) return null;
    const jail = jailer.filter((s) => s.i < start.i && SETS_ROOT.has(s.call) && ok(s)).at(-1);
    if (!jail) return null;
    return {
      step: jail.i,
      explanation: `After ${callText(jail)} (${stepName(jail.i)}) the working directory stayed at ${cwd.path}, outside the new root ${root.path}, and the jailed program started there (${stepName(start.i)}): a relative path with ".." walks out. Call chdir("/") right after chroot(), and check it.`,
    };
  },

  'chdir-then-chroot'({ jailer }) {
    for (const c of jailer) {
      if (!SETS_ROOT.has(c.call) || !ok(c) || !c.path || !namesADirectory(unquote(c.args[0]))) continue;
      const d = jailer.find((s) => s.i < c.i && s.call === 'chdir' && ok(s) && s.path?.path === c.path!.path);
      if (!d) continue;
      return {
        step: c.i,
        explanation: `${callText(d)} (${stepName(d.i)}) and then ${callText(c)} (${stepName(c.i)}) looked the path ${c.path.path} up twice: whoever can change it in between (a symlink swapped) chooses the jail. Look it up once: after chdir(path), chroot(".").`,
      };
    }
    return null;
  },

  'dir-fd-leak'({ jailer, start }) {
    const leaked = start?.after?.dirFds?.filter((fd) => !fd.belowRoot) ?? [];
    if (!start || !leaked.length) return null;
    // A Landlock domain refuses every file outside the jail, however it is reached: the leaked descriptor is useless.
    if (jailer.some((s) => s.i < start.i && s.call === 'landlock_restrict_self' && ok(s))) return null;
    const fd = leaked[0]!;
    const opened = jailer.filter((s) => s.i < start.i && ok(s) && s.opened?.fd === fd.fd && s.opened.kind === 'dir').at(-1);
    const chroot = jailer.find((s) => s.call === 'chroot' && ok(s) && (!opened || s.i > opened.i) && s.i < start.i);
    const where = fd.inside ? 'above the jail\'s root' : 'outside the jail';
    const others = leaked.length > 1 ? ` (and ${leaked.length - 1} more)` : '';
    return {
      step: opened?.i ?? start.i,
      explanation: `Descriptor ${fd.fd} (${fd.path}, ${where})${others}${opened ? ` was opened by ${callText(opened)} (${stepName(opened.i)})` : ''}${chroot ? `, stayed open across ${callText(chroot)} (${stepName(chroot.i)})` : ''} and is still open in the jailed program (${stepName(start.i)}): fchdir() to it leads out. Open it with O_CLOEXEC, or close it before execv().`,
    };
  },
};
