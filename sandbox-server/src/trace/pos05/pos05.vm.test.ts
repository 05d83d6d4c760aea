import type { Pos05Rule } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { firstFindings } from '../../../test/first-findings.js';

/**
 * The POS05-C checker, in real VMs: for each rule a small jail program that
 * breaks that rule and no other, run as a lesson's jail program, must get
 * exactly that finding (beside what the break itself causes) in its first
 * check's replay. A run is cancelled once
 * that check's findings are in (the rest of the lesson's checks would say
 * nothing new), and the programs run concurrently: the server's queue takes
 * them two at a time.
 */

/** After every rule's lesson, and its jail program starts with no supplementary groups. */
const LATE_LESSON = 'beyond-chroot/landlock';
/** The lesson whose jail program starts as root from a login shell: group 0 among its groups. */
const GROUPS_LESSON = 'root-in-the-jail/dropping-privileges';

const program = (before: string, jail: string, after = DROP): string => `#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
int main(int argc, char *argv[]) {
  if (argc < 3) return 2;
  const char *jail = argv[1];
  char path[4096];
  (void)path;
  ${before}
  ${jail}
  ${after}
  execv(argv[2], &argv[2]);
  perror("execv");
  return 1;
}
`;
const JAIL = 'if (chroot(jail) != 0 || chdir("/") != 0) return 1;';
const DROP = 'if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0) return 1;';

/**
 * `mayAlso`: findings the break itself may cause beside the rule, as true as it (a service started unjailed is in
 * the VM's root, with whatever /proc and devices the scan finds there at that moment).
 */
const CASES: Array<{ rule: Pos05Rule; mayAlso?: Pos05Rule[]; lesson?: string; source: string }> = [
  { rule: 'chroot-without-chdir', source: program('', 'if (chroot(jail) != 0) return 1;') },
  { rule: 'chdir-then-chroot', source: program('', 'if (chdir(jail) != 0 || chroot(jail) != 0) return 1;') },
  { rule: 'dir-fd-leak', source: program('int keep = open("/", O_RDONLY | O_DIRECTORY); if (keep < 0) return 1;', JAIL) },
  {
    rule: 'setuid-before-setgid',
    // The uid first (seteuid: root can come back), then the groups and gid: the order POS05-C warns of, though it worked here.
    source: program('', JAIL, 'if (seteuid(1000) != 0 || seteuid(0) != 0) return 1;\n  ' + DROP),
  },
  { rule: 'groups-kept', lesson: GROUPS_LESSON, source: program('', JAIL, 'if (setgid(1000) != 0 || setuid(1000) != 0) return 1;') },
  { rule: 'not-permanent', source: program('', JAIL, 'if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || seteuid(1000) != 0) return 1;') },
  // The jail's one chroot() fails (a typo) and the program goes on, starting the service by its full path, unjailed:
  // the jail needed that call. (A failure made good by a second, working chroot() would not count.)
  {
    rule: 'unchecked-failure',
    mayAlso: ['device-in-jail', 'proc-in-jail', 'setuid-in-jail', 'hardlink-in-jail'],
    source: program('', 'chroot("/no-such-directory"); if (chdir("/") != 0) return 1;', DROP + '\n  snprintf(path, sizeof path, "%s%s", jail, argv[2]); argv[2] = path;'),
  },
  { rule: 'root-at-exec', source: program('', JAIL, '') },
  { rule: 'proc-in-jail', source: program('snprintf(path, sizeof path, "%s/proc", jail); mkdir(path, 0555); if (mount("proc", path, "proc", 0, NULL) != 0) return 1;', JAIL) },
  { rule: 'device-in-jail', source: program('snprintf(path, sizeof path, "%s/disk", jail); if (mknod(path, S_IFBLK | 0600, makedev(7, 0)) != 0) return 1;', JAIL) },
  { rule: 'setuid-in-jail', source: program('snprintf(path, sizeof path, "%s/rootsh", jail); int f = open(path, O_WRONLY | O_CREAT, 0755); if (f < 0 || fchmod(f, 04755) != 0) return 1; close(f);', JAIL) },
  {
    rule: 'hardlink-in-jail',
    source: program('int f = open("/outside-file", O_WRONLY | O_CREAT, 0600); if (f < 0) return 1; close(f); snprintf(path, sizeof path, "%s/link", jail); if (link("/outside-file", path) != 0) { perror("link"); return 1; }', JAIL),
  },
];

describe('the POS05-C checker, from what the program did', () => {
  it('a program that breaks one rule gets exactly that finding, with its step and lesson', async () => {
    {
      const results = await Promise.all(CASES.map(async (c) => ({ c, got: await firstFindings(c.lesson ?? LATE_LESSON, c.source) })));
      const right = (c: (typeof CASES)[number], rules: Pos05Rule[]): boolean => rules.includes(c.rule) && rules.every((r) => r === c.rule || (c.mayAlso ?? []).includes(r));
      const wrong = results.filter(({ c, got }) => !right(c, got.rules)).map(({ c, got }) => `${c.rule}: got [${got.rules.join(', ')}]${c.mayAlso ? ` (beside it only ${c.mayAlso.join(', ')} may show)` : ''}`);
      expect(wrong, wrong.join('\n')).toEqual([]);
      for (const { c, got } of results) {
        const f = got.events.flatMap((e) => (e.type === 'check-findings' && e.index === 0 ? e.findings : [])).find((x) => x.rule === c.rule)!;
        expect(f.lesson, c.rule).not.toBeNull();
        expect(f.explanation.length, c.rule).toBeGreaterThan(20);
        // The step the finding names is one the replay shows (the learner is taken to it).
        const trace = got.events.find((e) => e.type === 'check-trace' && e.index === 0);
        expect(trace?.type, c.rule).toBe('check-trace');
        expect(f.step, c.rule).not.toBeNull();
        if (trace?.type === 'check-trace') expect(trace.trace.steps.some((s) => s.i === f.step), c.rule).toBe(true);
      }
    }
  }, 600_000);
});
