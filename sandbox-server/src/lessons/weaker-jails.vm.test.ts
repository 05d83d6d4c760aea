import type { RunEvent } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { JailLabClient } from '../client/jaillab-client.js';
import { loadCourse } from './load-lessons.js';

/**
 * Issue #31: jails a learner could reasonably write from a lesson's defence,
 * each a little weaker than its reference solution in a way a known
 * technique breaks. The probes must try every way the technique really has
 * (an existing /proc before a fresh one; every inherited descriptor, files as
 * well as directories), so each of these fails its lesson, escaped by exactly
 * the probes named. The lessons' texts say why.
 */
const course = await loadCourse(LESSONS_DIR);

/** The solution with `insert` put before the first line that starts with `before` (and includes added at the top). */
function weaken(lessonId: string, before: string, insert: string, includes: string[] = []): string {
  const solution = course.lessons.find((l) => l.id === lessonId)!.solution;
  const at = solution.indexOf(before);
  if (at < 0) throw new Error(`${lessonId}: the solution no longer has "${before}"`);
  const withCode = solution.slice(0, at) + insert + '\n  ' + solution.slice(at);
  return withCode.replace('#define _GNU_SOURCE\n', `#define _GNU_SOURCE\n${includes.map((i) => `#include <${i}>\n`).join('')}`);
}

const WEAKER: Array<{ name: string; lessonId: string; source: string; escapes: string[] }> = [
  {
    // Root without powers, for a service that needs /proc: a private mount namespace, proc mounted in the jail.
    // Writing a sysctl is checked against euid 0 and the file's mode, not a capability.
    name: 'capabilities, with a /proc in the jail',
    lessonId: 'beyond-chroot/capabilities',
    source: weaken(
      'beyond-chroot/capabilities',
      'if (chroot(jail) != 0)',
      `char proc_dir[4096];
  snprintf(proc_dir, sizeof proc_dir, "%s/proc", jail);
  mkdir(proc_dir, 0555);
  if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount("proc", proc_dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
    perror("proc");
    return 1;
  }`,
      ['sched.h', 'sys/mount.h', 'sys/stat.h'],
    ),
    escapes: ['core-pattern', 'modprobe-path'],
  },
  {
    // Landlock, with a file outside opened early (a config read at start) and never closed: Landlock checks opens
    // and path operations, never a descriptor that is already open.
    name: 'Landlock, with a file outside left open',
    lessonId: 'beyond-chroot/landlock',
    source: weaken('beyond-chroot/landlock', '/* Landlock needs no_new_privs', 'int config = open("/outside/secret", O_RDONLY);\n  (void)config;'),
    escapes: ['leaked-fd'],
  },
];

function escapedProbes(lessonId: string, events: RunEvent[]): string[] {
  const checks = course.lessons.find((l) => l.id === lessonId)!.checks;
  return events.flatMap((e) => (e.type === 'check-finished' && e.verdict === 'escaped' ? [checks[e.index]!.probe.id] : [])).sort();
}

describe('jails a little weaker than the solution', () => {
  it.concurrent.each(WEAKER.map((w) => [w.name, w] as const))('%s: fails its lesson, escaped by exactly the probes that break it', async (_name, w) => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const r = await client.run(w.lessonId, w.source);
      expect(r.finished.outcome, r.finished.message).toBe('failed');
      expect(escapedProbes(w.lessonId, r.events)).toEqual([...w.escapes].sort());
    } finally {
      client.close();
    }
  }, 300_000);
});
