import { z } from 'zod';

/**
 * Findings of the POS05-C checker (CERT C, "Limit access to files by creating
 * a jail"): what the learner's program did that breaks a rule of a sound jail,
 * judged from the check's trace (what it did), not from its source text. Each
 * finding names the step that shows it and the lesson that teaches the fix.
 */

export const Pos05Rule = z.enum([
  /** chroot() (or pivot_root()) not followed by chdir("/"): the untrusted program started with its cwd outside its root. */
  'chroot-without-chdir',
  /** chdir(path) then chroot(path): the path looked up twice, a window to swap it in between. */
  'chdir-then-chroot',
  /** A directory descriptor outside the jail open across chroot() and still open in the untrusted program. */
  'dir-fd-leak',
  /** setuid() before setgid() (or setgroups()): once root is gone the groups cannot be changed. */
  'setuid-before-setgid',
  /** Supplementary groups kept: the untrusted program started with the groups root had. */
  'groups-kept',
  /** Privileges not dropped for good: a real or saved uid (or any gid) of 0 left, so setuid(0) would succeed. */
  'not-permanent',
  /** A failed chroot, chdir or set*id call the program went on after. */
  'unchecked-failure',
  /** The untrusted program started as root with capabilities, in a chroot() jail. */
  'root-at-exec',
  'proc-in-jail',
  'device-in-jail',
  'setuid-in-jail',
  'hardlink-in-jail',
]).describe('a rule of a sound jail the POS05-C checker holds a program to');
export type Pos05Rule = z.infer<typeof Pos05Rule>;

export const Pos05Finding = z
  .object({
    rule: Pos05Rule,
    title: z.string().max(120).describe('the rule in a few words, e.g. "chroot() not followed by chdir("/")"'),
    explanation: z.string().max(600).describe('what the program did, in its own values, and what to do instead'),
    step: z.number().int().min(0).nullable().describe('the step of the check\'s trace that shows it (null when no single step does)'),
    lesson: z
      .object({ id: z.string().describe('the lesson\'s id'), title: z.string().describe('the lesson\'s title') })
      .nullable()
      .describe('the lesson that teaches the fix (null when the course has no such lesson)'),
  })
  .describe('one rule of a sound jail the program broke, judged from the check\'s trace');
export type Pos05Finding = z.infer<typeof Pos05Finding>;
